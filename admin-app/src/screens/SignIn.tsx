import { useState, type FormEvent } from 'react';
import { Button, FieldError, Form, Input, Label, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { probeRole, useSession } from '../session';

export function SignIn() {
  const { t } = useTranslation();
  const { signIn, endedBecause } = useSession();
  const [token, setToken] = useState('');
  const [checking, setChecking] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = token.trim();
    if (!value) return;
    setChecking(true);
    setFailure(undefined);
    try {
      signIn({ token: value, role: await probeRole(value) });
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 401
          ? t('signIn.invalid')
          : t('signIn.failed', { message: error instanceof Error ? error.message : String(error) }),
      );
    } finally {
      setChecking(false);
    }
  }

  return (
    <section className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {endedBecause === 'expired' && !failure && <p role="alert">{t('signIn.expired')}</p>}
      <Form onSubmit={submit}>
        <TextField
          name="token"
          type="password"
          isRequired
          value={token}
          onChange={setToken}
          autoComplete="off"
          validate={(v) => (v.trim() ? null : t('signIn.required'))}
        >
          <Label>{t('signIn.token')}</Label>
          <Input autoFocus />
          <FieldError />
        </TextField>
        <Button type="submit" isDisabled={checking}>
          {checking ? t('signIn.checking') : t('signIn.submit')}
        </Button>
        {failure && <p role="alert">{failure}</p>}
      </Form>
    </section>
  );
}
