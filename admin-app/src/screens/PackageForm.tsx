/**
 * Package a lesson (POST /api/admin/packaging-jobs): the lesson (searchable), a source video on the server (empty:
 * the lesson's registered source), the ladder (the channels' one filled in, else `default`) and where its poster
 * frame is taken (`posterAt`: seconds or a percentage, the API's default 10 % filled in). The offset is checked as
 * the API checks it before anything is sent; what only the server can tell (an offset past the source's end, a
 * source it cannot read) comes back as its field problems and is shown next to the field it names.
 */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, FieldError, Form, Input, Label, Text, TextField } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { api, ApiError, unwrap } from '../api/client';
import { DEFAULT_POSTER_AT, posterAtProblem } from '../ingest-model';
import { useAdminChannels } from './admin-channels';
import { LessonPicker } from './LessonPicker';

export function PackageForm(props: { onQueued(): void }) {
  const { t } = useTranslation();
  const [lessonId, setLessonId] = useState<string | undefined>();
  const [source, setSource] = useState('');
  const channels = useAdminChannels();
  const ladders = [...new Set((channels.data ?? []).map((c) => c.ladder))];
  const [ladder, setLadder] = useState<string | undefined>();
  const ladderValue = ladder ?? ladders[0] ?? 'default';
  const [posterAt, setPosterAt] = useState(DEFAULT_POSTER_AT);
  const [refused, setRefused] = useState<ApiError | undefined>();
  const [queued, setQueued] = useState<number | undefined>();
  const enqueue = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/admin/packaging-jobs', {
          body: {
            lessonId: lessonId!,
            ladder: ladderValue.trim(),
            posterAt: posterAt.trim(),
            ...(source.trim() ? { source: source.trim() } : {}),
          },
        }),
      ),
    onMutate: () => {
      setRefused(undefined);
      setQueued(undefined);
    },
    onSuccess: (job) => {
      setQueued(job.id);
      props.onQueued();
    },
    onError: (error) => setRefused(error instanceof ApiError ? error : new ApiError(0, String(error))),
  });
  const serverSays = (field: string) => {
    const reason = refused?.problems.find((p) => p.field === field)?.reason;
    return reason ? t('packageForm.refused', { reason }) : undefined;
  };
  const localProblem = posterAtProblem(posterAt);
  const posterError = (localProblem && t(`packageForm.posterAtProblems.${localProblem}`)) || serverSays('posterAt');
  const sourceError = serverSays('source');
  const ladderError = serverSays('ladder');
  const shownNextToFields = ['posterAt', 'source', 'ladder'];
  const otherProblems = refused?.problems.filter((p) => !shownNextToFields.includes(p.field ?? '')) ?? [];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (lessonId && !localProblem) enqueue.mutate();
  };
  return (
    <Form className="card package-form" aria-labelledby="package-form-title" onSubmit={submit}>
      <h2 id="package-form-title">{t('packageForm.title')}</h2>
      <LessonPicker label={t('packageForm.lesson')} value={lessonId} onChange={setLessonId} />
      <TextField value={source} onChange={setSource} isInvalid={!!sourceError}>
        <Label>{t('packageForm.source')}</Label>
        <Input />
        <Text slot="description">{t('packageForm.sourceHelp')}</Text>
        <FieldError>{sourceError}</FieldError>
      </TextField>
      <TextField value={ladderValue} onChange={setLadder} isInvalid={!!ladderError}>
        <Label>{t('packageForm.ladder')}</Label>
        <Input />
        {ladders.length > 0 && (
          <Text slot="description">{t('packageForm.ladderHelp', { ladders: ladders.join(', ') })}</Text>
        )}
        <FieldError>{ladderError}</FieldError>
      </TextField>
      <TextField
        name="posterAt"
        value={posterAt}
        onChange={(value) => {
          setPosterAt(value);
          setRefused(undefined);
        }}
        isInvalid={!!posterError}
      >
        <Label>{t('packageForm.posterAt')}</Label>
        <Input />
        <Text slot="description">{t('packageForm.posterAtHelp', { default: DEFAULT_POSTER_AT })}</Text>
        <FieldError>{posterError}</FieldError>
      </TextField>
      <Button type="submit" isDisabled={!lessonId || !!localProblem || enqueue.isPending}>
        {t('packageForm.submit')}
      </Button>
      {queued !== undefined && <p role="status">{t('packageForm.queued', { id: queued })}</p>}
      {refused && (otherProblems.length > 0 || refused.problems.length === 0) && (
        <p role="alert" className="failing">
          {t('packageForm.failed', {
            reason: otherProblems.length
              ? otherProblems.map((p) => `${p.field}: ${p.reason}`).join('; ')
              : refused.message,
          })}
        </p>
      )}
    </Form>
  );
}
