-- Multi-turn self-repair ("murphy" strategy): the job's strategy, and each sample's place in its
-- problem's repair tree. Independent samples leave every new sample column null.
alter table job add column strategy text;

alter table sample add column turn                  integer;
alter table sample add column parent_index          integer;
alter table sample add column node_prompt           text;
alter table sample add column reward                double precision;
alter table sample add column feedback_tests_passed integer;
alter table sample add column feedback_tests_total  integer;
alter table sample add column repair_feedback       text;
alter table sample add column credit_mars           double precision;
alter table sample add column credit_mers           double precision;
alter table sample add column oracle_feedback       boolean;
