import Link from 'next/link';

const FORMAT = new Intl.NumberFormat('en-US');
export const formatNumber = (n: number): string => FORMAT.format(n);

/** One headline number; a link when it opens a filtered view. */
export function Stat({
  label,
  value,
  href,
  testId,
}: {
  label: string;
  value: number;
  href?: string;
  testId?: string;
}) {
  const body = (
    <>
      <span className="stat-value" data-testid={testId} data-value={value}>
        {formatNumber(value)}
      </span>
      <span className="stat-label">{label}</span>
    </>
  );
  return href === undefined ? (
    <div className="stat">{body}</div>
  ) : (
    <Link className="stat stat-link" href={href}>
      {body}
    </Link>
  );
}
