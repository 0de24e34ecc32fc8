-- Issue 11: EvalPlus datasets (HumanEval+, MBPP+), base and plus verdicts, calibrated time limits.

-- The file format a dataset was read from, and whether its problems have plus inputs judged apart
-- from the base ones (then pass@k is reported on the base inputs too).
alter table dataset add column file_format text;
update dataset set file_format = case format when 'HUMAN_EVAL' then 'HUMANEVAL' else 'MBPP' end;
alter table dataset alter column file_format set not null;
alter table dataset add column plus_tests boolean not null default false;
-- EvalPlus inputs over all problems, base and plus; null for datasets judged otherwise
alter table dataset add column test_inputs bigint;

-- The reference solution as a complete program (HumanEval: prompt + canonical_solution; MBPP: code;
-- EvalPlus: prompt + canonical_solution): time limits are calibrated on it, input tests take their
-- expected outputs from it.
alter table problem add column reference text;
update problem p
set reference = case d.format when 'HUMAN_EVAL' then p.prompt || p.canonical_solution else p.canonical_solution end
from dataset d
where d.id = p.dataset_id;
alter table problem alter column reference set not null;
-- EvalPlus input tests: whose rules apply (HUMANEVAL, MBPP), the inputs as the file writes them (JSON
-- arrays of argument lists) and the float tolerance. Null for problems judged by check or asserts.
-- For HumanEval+, test_program keeps the file's original `test`, which is not judged.
alter table problem add column input_dataset text;
alter table problem add column base_inputs   text;
alter table problem add column plus_inputs   text;
alter table problem add column atol          double precision;

-- A job without timeoutSeconds has calibrated time limits: max(floor, factor x reference time).
alter table job alter column timeout_seconds drop not null;

-- Per sample: whether it passed the base inputs (null without plus inputs), and the time limit its
-- scoring run had: fixed, calibrated or default, its seconds and the reference's time it came from.
alter table sample add column passed_base        boolean;
alter table sample add column time_limit_rule    text;
alter table sample add column time_limit_seconds double precision;
alter table sample add column reference_seconds  double precision;
