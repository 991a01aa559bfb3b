/** Small shared pieces: API error display, a ticking clock, copy-to-clipboard. */
import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError } from './api/client';

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  if (!error) return null;
  let text: string;
  let problems: ApiError['problems'] = [];
  if (error instanceof ApiError) {
    problems = error.problems;
    text =
      error.status === 403
        ? t('errors.forbidden', { role: t('roles.admin') })
        : error.status === 401
          ? t('errors.unauthorized')
          : t('errors.generic', { status: error.status, message: error.message });
  } else {
    text = t('errors.generic', { status: '-', message: error instanceof Error ? error.message : String(error) });
  }
  return (
    <div role="alert" className="error">
      <p>{text}</p>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => (
            <li key={i}>{t('errors.problem', { field: p.field ?? p.where ?? '-', reason: p.reason })}</li>
          ))}
        </ul>
      )}
      {onRetry && <Button onPress={onRetry}>{t('errors.retry')}</Button>}
    </div>
  );
}

/** The wall clock, re-read every `everyMs` (what plays now is computed from it, never accumulated). */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function CopyField({ label, value }: { label: string; value: string }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const id = `copy-${value.replace(/\W+/g, '-')}`;
  return (
    <div className="copy-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
      <Button
        onPress={async () => {
          await navigator.clipboard.writeText(value).catch(() => undefined);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        }}
      >
        {copied ? t('common.copied') : t('common.copy')}
      </Button>
    </div>
  );
}
