import { maskParamList, maskStatement } from './mask';
import type { DdlRow, EventRow, ListRow } from './rows';
import { engineSchema } from './schema';

/**
 * Applies the statement-text right to rows. Masked: literals in the text and every bind value
 * become `?`, and `raw` (the original event JSON, literals included) is dropped. Error messages
 * are masked too: MySQL's quote the offending value ("Duplicate entry 'x' for key …").
 */

function maskText(text: string | null, engine: string): string | null {
  if (text === null) return null;
  const parsed = engineSchema.safeParse(engine);
  return maskStatement(text, parsed.success ? parsed.data : 'generic');
}

/** The preview may be cut inside a literal; the masker treats an unterminated literal as one. */
export function maskListRow(row: ListRow, fullText: boolean): ListRow & { text_masked: boolean } {
  if (fullText) return { ...row, text_masked: false };
  return { ...row, text_preview: maskText(row.text_preview, row.engine), text_masked: true };
}

export function maskEventRow(row: EventRow, fullText: boolean): EventRow & { text_masked: boolean } {
  if (fullText) return { ...row, text_masked: false };
  return {
    ...row,
    command_text: maskText(row.command_text, row.engine),
    param_list: maskParamList(row.param_list),
    error_message: maskText(row.error_message, row.engine),
    raw: null,
    text_masked: true,
  };
}

export function maskDdlRow(row: DdlRow, fullText: boolean): DdlRow & { text_masked: boolean } {
  if (fullText) return { ...row, text_masked: false };
  return {
    ...row,
    command_text: maskText(row.command_text, row.engine),
    error_message: maskText(row.error_message, row.engine),
    text_masked: true,
  };
}
