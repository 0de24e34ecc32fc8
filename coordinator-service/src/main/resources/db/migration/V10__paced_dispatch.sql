-- Issue 12: the coordinator hands tasks out as the endpoint's capacity frees up, fairly between jobs.

-- Higher first; jobs of equal priority take turns (the one dispatched to longest ago goes next).
alter table job add column priority           integer not null default 0;
alter table job add column last_dispatched_at timestamptz;

-- When the dispatcher released the task's message, and how many of its model requests have ended
-- (as the workers reported them): a dispatched task holds samples_per_problem - requests_done slots.
alter table task add column dispatched_at timestamptz;
alter table task add column requests_done integer not null default 0;
create index task_waiting_idx on task (job_id, ordinal) where dispatched_at is null and state = 'PENDING';
create index task_dispatched_idx on task (job_id) where dispatched_at is not null and state in ('PENDING', 'QUEUED');

-- A task's message waits, held, in the outbox until the dispatcher releases it; the relay publishes
-- released messages only. Messages written before this migration were all meant to go.
alter table outbox_message add column held boolean not null default false;
drop index outbox_unpublished_idx;
create index outbox_unpublished_idx on outbox_message (created_at) where published_at is null and not held;

-- Each endpoint's capacity: configured (what its workers announce: requests the server serves at once)
-- and effective (halved when the server pushes back, grown back by one per window of successes).
create table endpoint_capacity (
    endpoint         text primary key,
    configured       integer          not null,
    effective        double precision not null,
    pushbacks        bigint           not null default 0,
    last_decrease_at timestamptz,
    updated_at       timestamptz      not null
);
