create table dataset (
    id            uuid primary key,
    name          text        not null,
    format        text        not null,
    problem_count integer     not null,
    created_at    timestamptz not null
);

create table problem (
    id                 uuid primary key,
    dataset_id         uuid    not null references dataset (id) on delete cascade,
    ordinal            integer not null,
    task_id            text    not null,
    prompt             text    not null,
    entry_point        text    not null,
    canonical_solution text    not null,
    -- HumanEval: the program defining check(candidate); null for MBPP
    test_program       text,
    -- MBPP: imports and setup code run before the asserts
    test_setup         text    not null default '',
    -- MBPP: one assert statement per test
    test_asserts       text[]  not null default '{}',
    unique (dataset_id, task_id),
    unique (dataset_id, ordinal)
);
