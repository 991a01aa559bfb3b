/** Tokens (admin): create one (its secret is shown once, here), list them, revoke one (confirmed). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Form, Input, Label, Radio, RadioGroup, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, unwrap } from '../api/client';
import { formatDateTime } from '../format';
import { localeOf } from '../i18n';
import { CopyField, ErrorNotice } from '../ui';
import { ConfirmButton } from './Confirm';

export default function Tokens() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<'editor' | 'admin'>('editor');
  const tokens = useQuery({ queryKey: ['tokens'], queryFn: () => unwrap(api.GET('/api/admin/tokens')) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['tokens'] });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/admin/tokens', { body: { name: name.trim(), role } })),
    onSuccess: () => {
      setName('');
      refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: number) => unwrap(api.DELETE('/api/admin/tokens/{id}', { params: { path: { id: String(id) } } })),
    onSuccess: refresh,
  });
  const locale = localeOf(i18n.language);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return (
    <section aria-labelledby="tokens-title">
      <h1 id="tokens-title">{t('tokens.title')}</h1>
      <Form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
      >
        <TextField value={name} onChange={setName} isRequired>
          <Label>{t('tokens.name')}</Label>
          <Input />
        </TextField>
        <RadioGroup value={role} onChange={(v) => setRole(v as 'editor' | 'admin')} orientation="horizontal">
          <Label>{t('tokens.role')}</Label>
          <Radio value="editor">{t('roles.editor')}</Radio>
          <Radio value="admin">{t('roles.admin')}</Radio>
        </RadioGroup>
        <Button type="submit" isDisabled={create.isPending}>
          {t('tokens.create')}
        </Button>
      </Form>
      <ErrorNotice error={create.error ?? revoke.error ?? tokens.error} />
      {create.data && (
        <div role="status" className="ok">
          <p>{t('tokens.created', { name: create.data.name })}</p>
          <CopyField label={t('tokens.secret')} value={create.data.token} />
        </div>
      )}
      <table aria-labelledby="tokens-title">
        <thead>
          <tr>
            <th scope="col">{t('tokens.name')}</th>
            <th scope="col">{t('tokens.role')}</th>
            <th scope="col">{t('tokens.createdAt', { zone })}</th>
            <th scope="col">{t('tokens.state')}</th>
          </tr>
        </thead>
        <tbody>
          {tokens.data?.tokens.map((token) => (
            <tr key={token.id} data-token={token.name}>
              <td>{token.name}</td>
              <td>{t(`roles.${token.role}`)}</td>
              <td>{formatDateTime(token.createdAt, zone, locale)}</td>
              <td>
                {token.revokedAt ? (
                  t('tokens.revokedAt', { time: formatDateTime(token.revokedAt, zone, locale) })
                ) : (
                  <ConfirmButton
                    label={t('tokens.revoke', { name: token.name })}
                    title={t('tokens.revokeTitle')}
                    confirmLabel={t('tokens.revokeConfirm')}
                    onConfirm={() => revoke.mutate(token.id)}
                  >
                    <p>{t('tokens.revokeText', { name: token.name })}</p>
                  </ConfirmButton>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
