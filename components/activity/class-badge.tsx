import type { ActivityClass } from '../../lib/audit/schema';

export function ClassBadge({ value }: { value: ActivityClass }) {
  return (
    <span className="badge" data-class={value}>
      {value}
    </span>
  );
}
