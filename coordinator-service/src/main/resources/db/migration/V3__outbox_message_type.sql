-- The outbox carries more than tasks (job cancellations); the relay sets the type header from this.
alter table outbox_message add column message_type text not null default 'dev.evalfleet.contracts.TaskMessage';
