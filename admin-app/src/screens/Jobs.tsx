/**
 * Packaging jobs with live progress (the job event stream, see live-jobs.tsx): newest first, cancel a queued or
 * running job, retry a failed or cancelled one; package a lesson, with where its poster is taken (PackageForm.tsx).
 */
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../ui';
import { JobCard, useLiveJobs } from './live-jobs';
import { PackageForm } from './PackageForm';
import './ingest.css';

export default function Jobs() {
  const { t } = useTranslation();
  const jobs = useLiveJobs();
  return (
    <section aria-labelledby="jobs-title">
      <h1 id="jobs-title">{t('jobs.title')}</h1>
      <p role="status">{jobs.live ? t('jobs.live') : t('jobs.connecting')}</p>
      <ErrorNotice error={jobs.error} />
      <PackageForm onQueued={jobs.refresh} />
      {jobs.jobs && jobs.jobs.length === 0 && <p>{t('common.none')}</p>}
      <ul className="jobs">
        {jobs.jobs?.map((job) => (
          <JobCard key={job.id} job={job} jobs={jobs} />
        ))}
      </ul>
    </section>
  );
}
