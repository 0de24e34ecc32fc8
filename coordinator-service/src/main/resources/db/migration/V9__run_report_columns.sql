-- Issue 13: the run report reads the worker's timings (V7) through the read model's views.
create or replace view task_result as
select t.job_id,
       t.id             as task_uuid,
       t.ordinal,
       p.task_id,
       t.state,
       t.failure_reason,
       t.worker_id,
       t.created_at,
       t.published_at,
       t.finished_at,
       d.plus_tests,
       t.received_at,
       t.worker_finished_at,
       t.deliveries,
       t.model_retries
from task t
join problem p on p.id = t.problem_id
join dataset d on d.id = p.dataset_id;

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
       s.generation_started_at
from task t
join problem p on p.id = t.problem_id
join dataset d on d.id = p.dataset_id
left join sample s on s.task_id = t.id
left join submitted_sample ss on ss.task_id = s.task_id and ss.sample_index = s.sample_index
where s.id is not null or t.state = 'FAILED';
