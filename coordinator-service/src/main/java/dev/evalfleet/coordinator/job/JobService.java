package dev.evalfleet.coordinator.job;

import dev.evalfleet.contracts.GenerationSettings;
import dev.evalfleet.contracts.JobCancelled;
import dev.evalfleet.contracts.ProblemFormat;
import dev.evalfleet.contracts.ProblemPayload;
import dev.evalfleet.contracts.RepairStrategy;
import dev.evalfleet.contracts.TaskMessage;
import dev.evalfleet.coordinator.CoordinatorProperties;
import dev.evalfleet.coordinator.access.Caller;
import dev.evalfleet.coordinator.access.Callers;
import dev.evalfleet.coordinator.api.ConflictException;
import dev.evalfleet.coordinator.api.FieldError;
import dev.evalfleet.coordinator.api.InvalidRequestException;
import dev.evalfleet.coordinator.api.NotFoundException;
import dev.evalfleet.coordinator.api.QuotaExceededException;
import dev.evalfleet.coordinator.dataset.DatasetCatalog;
import dev.evalfleet.coordinator.dataset.DatasetView;
import dev.evalfleet.coordinator.dataset.ProblemDefinition;
import dev.evalfleet.coordinator.outbox.Outbox;
import dev.evalfleet.coordinator.provenance.JobProvenance;
import dev.evalfleet.coordinator.provenance.ProvenanceView;
import dev.evalfleet.coordinator.repair.RepairReport;
import dev.evalfleet.coordinator.repair.RepairTrees;
import dev.evalfleet.coordinator.result.JobResults;
import dev.evalfleet.coordinator.result.ProblemResult;
import dev.evalfleet.coordinator.sample.AppliedTimeLimits;
import dev.evalfleet.coordinator.sample.SampleCount;
import dev.evalfleet.coordinator.sample.SubmittedSample;
import dev.evalfleet.coordinator.sample.SubmittedSamples;
import dev.evalfleet.coordinator.statistics.Bootstrap;
import dev.evalfleet.coordinator.upload.JsonRecords;
import dev.evalfleet.coordinator.worker.EndpointView;
import dev.evalfleet.coordinator.worker.WorkerRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creates jobs (job, tasks and their outbox messages in one transaction) and reports on them. */
@Service
class JobService {

    private static final String REFERENCE_PROVIDER = "reference";
    /** Jobs made from a samples file name no model endpoint; this is what they show instead. */
    static final String SAMPLES_ENDPOINT = "samples-file";

    private static final String SAMPLES_MODEL = "given completions";
    private static final int MAX_LISTED_FAILURES = 50;
    private static final String STATISTICS =
            "95 %% interval: percentile bootstrap over problems, %,d resamples, seed %d;"
                            .formatted(Bootstrap.RESAMPLES, Bootstrap.SEED)
                    + " standard error: standard deviation of the per-problem estimates / sqrt(problems)";

    private final JobRepository jobs;
    private final TaskRepository tasks;
    private final DatasetCatalog datasets;
    private final WorkerRegistry workers;
    private final Outbox outbox;
    private final JobResults results;
    private final JobProvenance provenance;
    private final SubmittedSamples submittedSamples;
    private final RepairTrees repairTrees;
    private final CoordinatorProperties.Limits limits;
    private final TaskDispatcher dispatcher;
    private final Callers callers;

    JobService(
            JobRepository jobs,
            TaskRepository tasks,
            DatasetCatalog datasets,
            WorkerRegistry workers,
            Outbox outbox,
            JobResults results,
            JobProvenance provenance,
            SubmittedSamples submittedSamples,
            RepairTrees repairTrees,
            CoordinatorProperties properties,
            TaskDispatcher dispatcher,
            Callers callers) {
        this.dispatcher = dispatcher;
        this.callers = callers;
        this.repairTrees = repairTrees;
        this.jobs = jobs;
        this.tasks = tasks;
        this.datasets = datasets;
        this.workers = workers;
        this.outbox = outbox;
        this.results = results;
        this.provenance = provenance;
        this.submittedSamples = submittedSamples;
        this.limits = properties.limits();
    }

    @Transactional
    UUID create(CreateJobRequest request) {
        DatasetView dataset = resolveDataset(request.datasetId(), request.dataset());
        EndpointView endpoint = resolveEndpoint(request.endpoint());
        RepairStrategy strategy =
                request.strategy() == null ? null : request.strategy().toStrategy();
        if (strategy != null && request.samplesPerProblem() != null) {
            throw InvalidRequestException.field(
                    "samplesPerProblem",
                    "does not apply to strategy murphy; its turn-1 candidates are strategy.candidates");
        }
        int n = strategy != null
                ? strategy.candidates()
                : request.samplesPerProblem() == null ? 1 : request.samplesPerProblem();
        if (strategy != null && strategy.candidates() > limits.maxSamplesPerProblem()) {
            throw InvalidRequestException.field(
                    "strategy.candidates", "must be at most " + limits.maxSamplesPerProblem());
        }
        if (n > limits.maxSamplesPerProblem()) {
            throw InvalidRequestException.field(
                    "samplesPerProblem", "must be at most " + limits.maxSamplesPerProblem());
        }
        Double timeout = resolveTimeout(request.timeoutSeconds());
        List<ProblemDefinition> problems = selectProblems(dataset.id(), request.problems());
        GenerationSettings generation = request.generation() == null
                ? GenerationSettings.defaults()
                : request.generation().toSettings();
        Caller caller = holdToQuotas((long) n * problems.size());

        JobEntity job = jobs.save(new JobEntity(
                        dataset.id(),
                        endpoint.name(),
                        request.model(),
                        n,
                        generation,
                        timeout,
                        repairTrees.store(strategy))
                .withPriority(request.priority() == null ? 0 : request.priority())
                .createdBy(caller.name()));
        boolean carriesReference = REFERENCE_PROVIDER.equals(endpoint.provider());
        dispatch(
                job,
                problems,
                (taskId, problem) -> new TaskMessage(
                        taskId,
                        job.id(),
                        endpoint.name(),
                        request.model(),
                        n,
                        generation,
                        onTheWire(timeout),
                        payloadOf(problem, carriesReference),
                        null,
                        strategy));
        return job.id();
    }

    /**
     * A job that scores the samples of a human-eval or EvalPlus samples file against the dataset's
     * tests, calling no model: one task per problem that has samples, in dataset order.
     */
    @Transactional
    UUID createFromSamples(UUID datasetId, String datasetName, Double timeoutSeconds, byte[] file) {
        DatasetView dataset = resolveDataset(datasetId, datasetName);
        Double timeout = resolveTimeout(timeoutSeconds);
        List<ProblemDefinition> all = datasets.problems(dataset.id());
        List<SamplesFile.Line> lines = SamplesFile.read(
                new JsonRecords(limits.maxDecompressedSize()),
                file,
                all.stream().map(ProblemDefinition::taskId).collect(Collectors.toSet()),
                limits.maxReportedErrors());
        Map<String, List<SamplesFile.Line>> byTaskId =
                lines.stream().collect(Collectors.groupingBy(SamplesFile.Line::taskId));
        List<ProblemDefinition> problems =
                all.stream().filter(p -> byTaskId.containsKey(p.taskId())).toList();
        int mostSamples = byTaskId.values().stream().mapToInt(List::size).max().orElseThrow();
        Caller caller = holdToQuotas(0);

        JobEntity job = jobs.save(new JobEntity(
                        dataset.id(),
                        SAMPLES_ENDPOINT,
                        SAMPLES_MODEL,
                        mostSamples,
                        GenerationSettings.defaults(),
                        timeout)
                .createdBy(caller.name()));
        dispatch(job, problems, (taskId, problem) -> {
            List<SamplesFile.Line> given = byTaskId.get(problem.taskId());
            submittedSamples.record(
                    taskId,
                    given.stream()
                            .map(line -> new SubmittedSample(line.line(), line.original()))
                            .toList());
            return new TaskMessage(
                    taskId,
                    job.id(),
                    SAMPLES_ENDPOINT,
                    SAMPLES_MODEL,
                    given.size(),
                    GenerationSettings.defaults(),
                    onTheWire(timeout),
                    samplesPayloadOf(problem, given),
                    samplesOf(problem, given),
                    null);
        });
        return job.id();
    }

    /**
     * EvalPlus's samples may give a whole program ({@code solution}) where human-eval's give a
     * completion of the prompt. The worker runs a given sample as the whole program when the problem
     * is in MBPP's shape, so a HumanEval-shaped problem with any whole program is sent in that shape,
     * its completions made whole programs (prompt + completion): each sample runs as EvalPlus runs it.
     */
    private static boolean sendsWholePrograms(ProblemDefinition problem, List<SamplesFile.Line> given) {
        return problem.format() == ProblemFormat.HUMAN_EVAL && given.stream().anyMatch(SamplesFile.Line::wholeProgram);
    }

    private static ProblemPayload samplesPayloadOf(ProblemDefinition problem, List<SamplesFile.Line> given) {
        ProblemPayload payload = payloadOf(problem, false);
        if (!sendsWholePrograms(problem, given)) {
            return payload;
        }
        return new ProblemPayload(
                payload.problemId(),
                ProblemFormat.MBPP,
                payload.prompt(),
                payload.entryPoint(),
                payload.tests(),
                payload.referenceSolution());
    }

    private static List<String> samplesOf(ProblemDefinition problem, List<SamplesFile.Line> given) {
        boolean wholePrograms = sendsWholePrograms(problem, given);
        return given.stream()
                .map(line -> wholePrograms && !line.wholeProgram() ? problem.prompt() + line.code() : line.code())
                .toList();
    }

    /** A task message's limit: 0 leaves it to the scoring service, which calibrates it per problem. */
    private static double onTheWire(Double timeoutSeconds) {
        return timeoutSeconds == null ? 0 : timeoutSeconds;
    }

    /**
     * The caller, once its new job fits its quotas: jobs not yet finished, and model requests not yet
     * made (a job from a samples file makes none). One caller's creations run one at a time.
     */
    private Caller holdToQuotas(long modelRequests) {
        Caller caller = callers.current();
        jobs.lockQuotasOf(caller.name());
        QuotaExceededException.check(
                "runningJobs",
                caller.quotas().runningJobs(),
                jobs.countByCreatedByAndStatusIn(caller.name(), List.of(JobStatus.QUEUED, JobStatus.RUNNING)),
                1);
        if (modelRequests > 0) {
            QuotaExceededException.check(
                    "queuedRequests",
                    caller.quotas().queuedRequests(),
                    jobs.queuedRequestsOf(caller.name(), SAMPLES_ENDPOINT),
                    modelRequests);
        }
        return caller;
    }

    /** What a task of a new job is sent as. */
    private interface TaskMessageFactory {
        TaskMessage create(UUID taskId, ProblemDefinition problem);
    }

    /**
     * One task per problem and its outbox message, held, in the caller's transaction; the dispatcher
     * releases the messages as the endpoint has room.
     */
    private void dispatch(JobEntity job, List<ProblemDefinition> problems, TaskMessageFactory messageFor) {
        // flushed now: the outbox rows below reference the tasks by foreign key
        List<TaskEntity> created = tasks.saveAllAndFlush(problems.stream()
                .map(problem -> new TaskEntity(job.id(), problem.id(), problem.ordinal()))
                .toList());
        for (int i = 0; i < created.size(); i++) {
            UUID taskId = created.get(i).id();
            outbox.enqueueTask(taskId, messageFor.create(taskId, problems.get(i)));
        }
        dispatcher.wakeUpAfterCommit();
    }

    /** Stops dispatch, tells the workers, and keeps what finished; tasks not yet done end CANCELLED. */
    @Transactional
    JobView cancel(UUID id) {
        JobEntity job = jobs.findForUpdate(id).orElseThrow(() -> NotFoundException.job(id));
        callers.requireMayActOn(job.createdBy(), "cancel job " + id);
        if (job.status().isFinished()) {
            throw new ConflictException(
                    "Job " + id + " is already " + job.status() + "; only a queued or running job can be cancelled");
        }
        job.cancel();
        outbox.discardUnpublishedTasks(tasks.idsOfJobInStates(id, List.of(TaskState.PENDING, TaskState.QUEUED)));
        tasks.cancelUnfinished(id);
        outbox.enqueueBroadcast(new JobCancelled(id, Instant.now()));
        return view(job);
    }

    /** Sends the FAILED tasks of a finished job again; everything that succeeded stays as it is. */
    @Transactional
    JobView retryFailed(UUID id) {
        JobEntity job = jobs.findForUpdate(id).orElseThrow(() -> NotFoundException.job(id));
        callers.requireMayActOn(job.createdBy(), "retry job " + id);
        if (job.status() != JobStatus.COMPLETED && job.status() != JobStatus.FAILED) {
            throw new ConflictException("Job " + id + " is " + job.status()
                    + "; only a completed or failed job can retry its failed tasks");
        }
        List<TaskEntity> failed = tasks.findByJobIdAndState(id, TaskState.FAILED);
        if (failed.isEmpty()) {
            throw new ConflictException("Job " + id + " has no failed tasks");
        }
        for (TaskEntity task : failed) {
            task.requeue();
            outbox.enqueueTask(task.id(), outbox.lastTaskMessage(task.id()));
        }
        job.reopen();
        dispatcher.wakeUpAfterCommit();
        return view(job);
    }

    @Transactional(readOnly = true)
    JobView get(UUID id) {
        return view(jobs.findById(id).orElseThrow(() -> NotFoundException.job(id)));
    }

    @Transactional(readOnly = true)
    JobPage list(int page, int size) {
        Page<JobEntity> result = jobs.findAllByOrderByCreatedAtDesc(PageRequest.of(page, size));
        return new JobPage(views(result.getContent()), page, size, result.getTotalElements(), result.getTotalPages());
    }

    private JobView view(JobEntity job) {
        return views(List.of(job)).getFirst();
    }

    /** The views of the jobs, read with a fixed number of queries however many jobs there are. */
    private List<JobView> views(List<JobEntity> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        List<UUID> ids = page.stream().map(JobEntity::id).toList();
        Map<UUID, Map<TaskState, Long>> states = new HashMap<>();
        for (Object[] row : tasks.countByStateOfJobs(ids)) {
            states.computeIfAbsent((UUID) row[0], job -> new EnumMap<>(TaskState.class))
                    .put((TaskState) row[1], (Long) row[2]);
        }
        Map<UUID, List<ProblemResult>> problems = results.problems(ids);
        Map<UUID, List<AppliedTimeLimits>> limits = results.timeLimitsApplied(ids);
        Map<UUID, List<TaskEntity>> failed = tasks.findByJobIdInAndStateOrderByOrdinal(ids, TaskState.FAILED).stream()
                .collect(Collectors.groupingBy(TaskEntity::jobId));
        Map<UUID, RepairStrategy> strategies = new LinkedHashMap<>();
        for (JobEntity job : page) {
            RepairStrategy strategy = repairTrees.strategy(job.strategy());
            if (strategy != null) {
                strategies.put(job.id(), strategy);
            }
        }
        Map<UUID, RepairReport> reports = repairTrees.reports(strategies);
        Map<UUID, ProvenanceView> provenance = this.provenance.of(ids);
        Map<String, EndpointView> live =
                workers.endpoints().stream().collect(Collectors.toMap(EndpointView::name, Function.identity()));
        return page.stream()
                .map(job -> view(
                        job,
                        states.getOrDefault(job.id(), Map.of()),
                        problems.getOrDefault(job.id(), List.of()),
                        limits.getOrDefault(job.id(), List.of()),
                        failed.getOrDefault(job.id(), List.of()),
                        strategies.get(job.id()),
                        reports.get(job.id()),
                        provenance.get(job.id()),
                        live.get(job.endpoint())))
                .toList();
    }

    private static JobView view(
            JobEntity job,
            Map<TaskState, Long> byState,
            List<ProblemResult> problems,
            List<AppliedTimeLimits> limits,
            List<TaskEntity> failed,
            RepairStrategy strategy,
            RepairReport repair,
            ProvenanceView provenance,
            EndpointView endpoint) {
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        List<SampleCount> counts = problems.stream().map(ProblemResult::count).toList();
        boolean plusTests = problems.stream().anyMatch(problem -> problem.passedBase() != null);
        // the nodes of a repair tree are not independent samples, so pass@k does not apply
        JobView.PassAtKFigures all =
                strategy == null ? JobView.PassAtKFigures.of(Bootstrap.passAtK(counts)) : JobView.PassAtKFigures.NONE;
        JobView.PassAtKFigures base = strategy == null && plusTests
                ? JobView.PassAtKFigures.of(Bootstrap.passAtK(
                        counts.stream().map(SampleCount::onBase).toList()))
                : null;
        return new JobView(
                job.id(),
                job.datasetId(),
                job.endpoint(),
                job.model(),
                job.samplesPerProblem(),
                job.generation(),
                job.timeoutSeconds(),
                job.priority(),
                waiting(job, endpoint),
                endpoint == null || endpoint.capacity() == 0
                        ? null
                        : new JobView.EndpointCapacity(endpoint.capacity(), endpoint.effectiveCapacity()),
                JobView.TimeLimitView.of(job.timeoutSeconds(), limits),
                JobView.StrategyView.of(strategy),
                job.status(),
                new JobView.TaskCounts(
                        total,
                        byState.getOrDefault(TaskState.PENDING, 0L),
                        byState.getOrDefault(TaskState.QUEUED, 0L),
                        byState.getOrDefault(TaskState.COMPLETED, 0L),
                        byState.getOrDefault(TaskState.FAILED, 0L),
                        byState.getOrDefault(TaskState.CANCELLED, 0L)),
                new JobView.SampleTotals(
                        counts.stream().mapToLong(SampleCount::samples).sum(),
                        counts.stream().mapToLong(SampleCount::passed).sum()),
                all.values(),
                all.ci95(),
                all.standardErrors(),
                STATISTICS,
                base == null ? null : base.values(),
                base == null ? null : base.ci95(),
                repair,
                failed.stream()
                        .limit(MAX_LISTED_FAILURES)
                        .map(task -> new JobView.TaskFailure(task.id(), task.failureReason()))
                        .toList(),
                provenance,
                job.createdBy(),
                job.createdAt(),
                job.startedAt(),
                job.finishedAt());
    }

    private static String waiting(JobEntity job, EndpointView endpoint) {
        if (job.status().isFinished() || endpoint != null || SAMPLES_ENDPOINT.equals(job.endpoint())) {
            return null;
        }
        return "no live worker serves endpoint '" + job.endpoint() + "'; the job waits for one";
    }

    private DatasetView resolveDataset(UUID datasetId, String datasetName) {
        if (datasetId != null) {
            try {
                return datasets.get(datasetId);
            } catch (NotFoundException e) {
                throw InvalidRequestException.field("datasetId", "no dataset with id " + datasetId);
            }
        }
        if (datasetName != null && !datasetName.isBlank()) {
            return datasets.findByName(datasetName.strip())
                    .orElseThrow(
                            () -> InvalidRequestException.field("dataset", "no dataset named '" + datasetName + "'"));
        }
        throw InvalidRequestException.field("datasetId", "is required (or give the dataset's name as 'dataset')");
    }

    /**
     * The endpoint a job names: one a live worker serves, or one workers served before (the job then
     * waits for one, as when workers scale from zero); a name no worker ever announced is refused.
     */
    private EndpointView resolveEndpoint(String name) {
        return workers.endpoint(name)
                .or(() -> workers.everServed(name))
                .orElseThrow(() -> InvalidRequestException.field(
                        "endpoint",
                        "no worker has ever served endpoint '" + name + "'; known endpoints: "
                                + workers.endpoints().stream()
                                        .map(EndpointView::name)
                                        .toList()));
    }

    /** The job's fixed limit, or {@code null} for limits calibrated on each problem's reference. */
    private Double resolveTimeout(Double requested) {
        if (requested == null) {
            return null;
        }
        if (requested * 1000 > limits.maxTimeout().toMillis()) {
            throw InvalidRequestException.field(
                    "timeoutSeconds", "must be at most " + limits.maxTimeout().toSeconds() + " seconds");
        }
        return requested;
    }

    private List<ProblemDefinition> selectProblems(UUID datasetId, List<String> requested) {
        List<ProblemDefinition> all = datasets.problems(datasetId);
        if (requested == null) {
            return all;
        }
        if (requested.isEmpty()) {
            throw InvalidRequestException.field("problems", "must not be empty; leave it out to run every problem");
        }
        Map<String, ProblemDefinition> byTaskId =
                all.stream().collect(Collectors.toMap(ProblemDefinition::taskId, Function.identity()));
        Set<String> unique = new LinkedHashSet<>(requested);
        List<FieldError> errors = new ArrayList<>();
        if (unique.size() < requested.size()) {
            errors.add(new FieldError("problems", "lists a task id more than once"));
        }
        List<String> unknown =
                unique.stream().filter(id -> !byTaskId.containsKey(id)).toList();
        if (!unknown.isEmpty()) {
            errors.add(new FieldError("problems", "unknown task ids in this dataset: " + unknown));
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        return unique.stream()
                .map(byTaskId::get)
                .sorted(Comparator.comparingInt(ProblemDefinition::ordinal))
                .toList();
    }

    private static ProblemPayload payloadOf(ProblemDefinition problem, boolean carriesReference) {
        return new ProblemPayload(
                problem.taskId(),
                problem.format(),
                problem.prompt(),
                problem.entryPoint(),
                problem.tests(),
                carriesReference ? problem.canonicalSolution() : null);
    }
}
