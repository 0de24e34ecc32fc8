-- Issue 15: who may do what. API keys are stored as a SHA-256 hash, found by the first characters of
-- the key (its prefix); the key itself is shown once, when it is created. A key's name is who it is:
-- jobs and datasets record it as created_by. Names are unique among keys that are not revoked, so a
-- new key of a revoked key's name carries on as its owner (key rotation).
create table api_key (
    id                  uuid primary key,
    name                text        not null,
    role                text        not null check (role in ('VIEWER', 'EVALUATOR', 'ADMIN')),
    prefix              text        not null unique,
    hash                bytea       not null,
    created_at          timestamptz not null,
    created_by          text,
    expires_at          timestamptz,
    revoked_at          timestamptz,
    last_used_at        timestamptz,
    -- quotas of this key; null takes the coordinator's default
    max_running_jobs    integer check (max_running_jobs >= 0),
    max_queued_requests bigint  check (max_queued_requests >= 0),
    max_upload_bytes    bigint  check (max_upload_bytes >= 0),
    max_datasets        integer check (max_datasets >= 0),
    requests_per_minute integer check (requests_per_minute >= 1)
);
create unique index api_key_name_live on api_key (name) where revoked_at is null;

alter table job add column created_by text;
alter table dataset add column created_by text;
create index job_created_by_unfinished on job (created_by) where status in ('QUEUED', 'RUNNING');
create index dataset_created_by on dataset (created_by);

create or replace view job_result as
select j.id             as job_id,
       j.dataset_id,
       d.name           as dataset_name,
       d.plus_tests,
       j.endpoint,
       j.model,
       j.samples_per_problem,
       j.strategy,
       j.status,
       j.created_at,
       j.started_at,
       j.finished_at,
       j.created_by
from job j
join dataset d on d.id = j.dataset_id;

create or replace view result_row as
select t.job_id,
       t.id                                                   as task_uuid,
       t.ordinal,
       p.task_id,
       s.sample_index,
       coalesce(s.verdict, 'TASK_FAILED')                     as verdict,
       coalesce(s.verdict = 'PASSED', false)                  as passed,
       case when d.plus_tests and s.id is not null
            then s.verdict = 'PASSED' or coalesce(s.passed_base, false) end as passed_base,
       coalesce(s.tests_passed, 0)                            as tests_passed,
       coalesce(s.tests_total, 0)                             as tests_total,
       s.execution_ms,
       s.time_limit_rule,
       s.time_limit_seconds,
       s.reference_seconds,
       s.generation_ms,
       s.prompt_tokens,
       s.completion_tokens,
       coalesce(s.worker_id, t.worker_id)                     as worker,
       case when s.id is null then t.failure_reason end       as failure_reason,
       coalesce(s.completion, '')                             as completion,
       s.raw_output,
       s.feedback,
       s.turn,
       case when s.turn is not null then s.sample_index end   as node_id,
       s.parent_index                                         as parent_id,
       s.node_prompt,
       s.reward,
       s.feedback_tests_passed,
       s.feedback_tests_total,
       s.repair_feedback,
       s.credit_mars,
       s.credit_mers,
       case s.oracle_feedback when true then 'full (oracle feedback)' when false then 'visible' end
                                                              as feedback_source,
       ss.input_line,
       ss.original,
       s.created_at,
       s.generation_started_at,
       j.created_by
from task t
join job j on j.id = t.job_id
join problem p on p.id = t.problem_id
join dataset d on d.id = p.dataset_id
left join sample s on s.task_id = t.id
left join submitted_sample ss on ss.task_id = s.task_id and ss.sample_index = s.sample_index
where s.id is not null or t.state = 'FAILED';
