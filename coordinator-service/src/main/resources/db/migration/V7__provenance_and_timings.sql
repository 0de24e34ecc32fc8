-- Issue 13: what a reader needs to reproduce a job, and the worker's timings for the run report.

-- sha256 of the file as uploaded (before decompression); null for datasets uploaded before.
alter table dataset add column sha256 text;

-- By the worker's clock: when it received the task's delivery and when it had the result ready; how
-- many times the broker delivered the task (the last delivery included) and how many model requests
-- the worker repeated after failures. Null for results of workers that did not report them.
alter table task add column received_at        timestamptz;
alter table task add column worker_finished_at timestamptz;
alter table task add column deliveries         integer;
alter table task add column model_retries      integer;

-- When the model request that produced the sample started (worker clock); it lasted generation_ms.
alter table sample add column generation_started_at timestamptz;

-- What ran a job's tasks, as the workers reported it: one row per distinct provenance, so a job run
-- by workers of different versions, or against a model that changed, shows each. The fingerprint
-- identifies the combination of the other columns, nulls included.
create table job_provenance (
    id                   bigserial primary key,
    job_id               uuid        not null references job (id) on delete cascade,
    fingerprint          text        not null,
    endpoint             text,
    provider             text,
    base_url             text,
    model                text,
    model_digest         text,
    model_details        text,
    model_server_version text,
    scoring_sandbox      text,
    scoring_python       text,
    worker_version       text,
    worker_commit        text,
    task_count           integer     not null,
    first_seen_at        timestamptz not null,
    last_seen_at         timestamptz not null,
    unique (job_id, fingerprint)
);
