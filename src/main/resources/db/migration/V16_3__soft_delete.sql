-- MLflow's delete_run and delete_experiment are soft: the run or experiment is hidden (its
-- lifecycle stage is "deleted") and restore_* brings it back. Null means active. Trainyard's own
-- DELETE /api/v1/runs/{id} still removes a run for good.
alter table run add column deleted_at timestamp with time zone;
alter table project add column deleted_at timestamp with time zone;
