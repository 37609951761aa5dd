import { useT } from '../context';
import type { Locale, QuestionView } from '../../../shared/contract';

/** ISO 3166-1 alpha-2 codes, for country questions; their names come from the browser in the locale. */
const COUNTRIES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV ' +
  'BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ' +
  'ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE ' +
  'IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
  'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU ' +
  'NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM ' +
  'SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE ' +
  'VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

function countryNames(locale: Locale): { code: string; name: string }[] {
  const names = new Intl.DisplayNames([locale], { type: 'region' });
  return COUNTRIES.map((code) => ({ code, name: names.of(code) ?? code })).sort((a, b) =>
    a.name.localeCompare(b.name, locale),
  );
}

/** A local `datetime-local` value as an ISO instant, which pretix's datetime answers expect. */
export function localDateTimeToIso(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : date.toISOString();
}

/**
 * One question of a cart line, with the input its type needs: every type pretix's catalog allows.
 * The value is kept as the answer text the desk sends (option ids comma-separated for choices,
 * "True" for a ticked yes/no question, an ISO instant for date and time).
 */
export function QuestionField({
  question,
  value,
  locale,
  label,
  onChange,
}: {
  question: QuestionView;
  value: string;
  locale: Locale;
  label: string;
  onChange: (answer: string) => void;
}) {
  const t = useT();
  const q = question;
  const title = (
    <span className="question-title">
      {q.question}
      {q.required ? ' *' : ''}
    </span>
  );
  const common = { 'aria-label': label, required: q.required, 'data-question-type': q.type };
  switch (q.type) {
    case 'C':
    case 'CC': {
      // One of the question's options (by id), or a country (by its ISO code).
      const choices =
        q.type === 'C'
          ? q.options.map((o) => ({ value: String(o.id), name: o.answer }))
          : countryNames(locale).map((c) => ({ value: c.code, name: c.name }));
      return (
        <label className="question">
          {title}
          <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="" />
            {choices.map((c) => (
              <option key={c.value} value={c.value}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
      );
    }
    case 'M': {
      const chosen = value.split(',').filter(Boolean);
      return (
        <fieldset className="question" aria-label={label} data-question-type={q.type}>
          <legend>{title}</legend>
          {q.options.map((o) => (
            <label key={o.id} className="inline">
              <input
                type="checkbox"
                checked={chosen.includes(String(o.id))}
                onChange={(e) =>
                  onChange(
                    (e.target.checked
                      ? [...chosen, String(o.id)]
                      : chosen.filter((c) => c !== String(o.id))
                    ).join(','),
                  )
                }
              />
              {o.answer}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'B':
      return (
        <label className="question inline">
          <input
            type="checkbox"
            {...common}
            checked={value === 'True'}
            onChange={(e) => onChange(e.target.checked ? 'True' : '')}
          />
          {title}
        </label>
      );
    case 'T':
      return (
        <label className="question">
          {title}
          <textarea {...common} rows={2} value={value} onChange={(e) => onChange(e.target.value)} />
        </label>
      );
    case 'F':
      return (
        <p className="question hint" data-question-type={q.type}>
          {title} — {t('sales.fileLater')}
        </p>
      );
    case 'W':
      return (
        <label className="question">
          {title}
          <input
            type="datetime-local"
            {...common}
            value={value ? toLocalInput(value) : ''}
            onChange={(e) => onChange(e.target.value ? localDateTimeToIso(e.target.value) : '')}
          />
        </label>
      );
    default: {
      const type: Record<string, string> = {
        N: 'number',
        D: 'date',
        H: 'time',
        EMAIL: 'email',
        TEL: 'tel',
      };
      return (
        <label className="question">
          {title}
          <input
            type={type[q.type] ?? 'text'}
            step={q.type === 'N' ? 'any' : undefined}
            {...common}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
        </label>
      );
    }
  }
}

/** An ISO instant back into the `datetime-local` input's local text. */
function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
