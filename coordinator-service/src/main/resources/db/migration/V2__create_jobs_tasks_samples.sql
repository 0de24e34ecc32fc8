create table job (
    id                  uuid primary key,
    dataset_id          uuid             not null references dataset (id),
    endpoint            text             not null,
    model               text             not null,
    samples_per_problem integer          not null,
    temperature         double precision,
    top_p               double precision,
    max_tokens          integer,
    seed                bigint,
    stop                text[]           not null default '{}',
    timeout_seconds     double precision not null,
    status              text             not null,
    created_at          timestamptz      not null,
    started_at          timestamptz,
    finished_at         timestamptz
);
create index job_created_at_idx on job (created_at desc);

create table task (
    id             uuid primary key,
    job_id         uuid        not null references job (id) on delete cascade,
    problem_id     uuid        not null references problem (id),
    ordinal        integer     not null,
    state          text        not null,
    failure_reason text,
    worker_id      text,
    created_at     timestamptz not null,
    published_at   timestamptz,
    finished_at    timestamptz,
    unique (job_id, problem_id)
);
create index task_job_state_idx on task (job_id, state);

-- One row per generated sample; (task_id, sample_index) makes a redelivered result a no-op.
create table sample (
    id                bigserial primary key,
    task_id           uuid        not null references task (id) on delete cascade,
    sample_index      integer     not null,
    raw_output        text        not null,
    completion        text        not null,
    verdict           text        not null,
    tests_passed      integer     not null,
    tests_total       integer     not null,
    feedback          text        not null,
    execution_ms      bigint      not null,
    generation_ms     bigint      not null,
    prompt_tokens     integer,
    completion_tokens integer,
    worker_id         text        not null,
    created_at        timestamptz not null,
    unique (task_id, sample_index)
);

-- Transactional outbox: written with the rows it announces, published afterwards by the relay.
create table outbox_message (
    id           uuid primary key,
    task_id      uuid references task (id) on delete cascade,
    exchange     text        not null,
    routing_key  text        not null,
    payload      text        not null,
    created_at   timestamptz not null,
    published_at timestamptz,
    attempts     integer     not null default 0
);
create index outbox_unpublished_idx on outbox_message (created_at) where published_at is null;

create table worker (
    worker_id       text primary key,
    host            text        not null,
    version         text,
    endpoints       text        not null,
    capacity        integer     not null,
    tasks_in_flight integer     not null,
    tasks_done      bigint      not null,
    started_at      timestamptz,
    last_seen_at    timestamptz not null
);
