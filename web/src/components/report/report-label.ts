// Report line labels from their keys: `report_<key>`, with the payment method named in the reader's language.
import type { ReportLine } from '../../../../design-docs/lib/report-lines';
import { useLocale } from '../../i18n/locale';
import type { MessageKey } from '../../i18n/messages';

export function useReportLabel() {
  const t = useLocale().t;
  return (section: string, line?: ReportLine): string =>
    line
      ? t(`report_${line.key}` as MessageKey, { method: line.method ? t(line.method as MessageKey) : '' })
      : t(`report_${section}` as MessageKey);
}
