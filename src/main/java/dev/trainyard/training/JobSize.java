package dev.trainyard.training;

/**
 * How big a job is, worked out from its spec and the shape of its text before anything is
 * allocated: the trainer refuses jobs whose arrays or ops would not fit in memory, and the API
 * refuses those and the ones that would book the machine for too long, at submission.
 *
 * @param model      the spec's model
 * @param parameters the model's weights
 * @param steps      time steps per training sequence
 * @param batch      sequences per optimizer step
 * @param layers     recurrent layers
 * @param opsPerStep ops bound per time step and layer, forward and backward
 * @param elements   roughly the array elements training allocates
 * @param updates    optimizer steps to train: the spec's {@code steps}
 */
record JobSize(String model, long parameters, int steps, int batch, int layers, int opsPerStep, long elements, int updates) {

    /** The most array elements one job may allocate (~0.6 GB as FLOAT). */
    static final long MAX_ELEMENTS = 150_000_000L;
    /**
     * The most per-step bound ops one char-LM job may hold: each costs ~10 KB (ND4J's op and view
     * objects, ~5 KB of heap, and the native op context), measured with a 10,000-step GRU (1.25 GB
     * resident). 60,000 keeps a job near 600 MB, within the 2 GiB container recipe in DESIGN.md.
     */
    static final long MAX_BOUND_OPS = 60_000;

    static JobSize of(JobSpec job, TrainingText text) {
        return of(job, text.characters(), text.distinct(), text.singleTarget());
    }

    /**
     * @param characters   the text's length in code points
     * @param distinct     its distinct code points
     * @param singleTarget the text is one target to reproduce (seed-sentence, memorize:N), trained whole
     *                     between start and end markers
     */
    static JobSize of(JobSpec job, long characters, int distinct, boolean singleTarget) {
        if (JobSpec.SEED_RNN.equals(job.model())) {
            int steps = Math.toIntExact(characters + 1); // it always trains on the whole text
            int symbols = SeedSentence.SYMBOLS;
            long parameters = SeedRnnModel.size(symbols, job.hidden());
            // SeedRnnTraining: inputs, labels, output and error per step and symbol; pre, states and
            // delta per step and hidden unit; the gradient and up to two optimizer states
            long elements = (long) (steps + 1) * (4L * symbols + 3L * job.hidden()) + 3 * parameters;
            return new JobSize(job.model(), parameters, steps, 1, 1, 4, elements, job.steps());
        }
        int steps = singleTarget ? Math.toIntExact(characters + 1) : (int) Math.min(job.sequenceLength(), characters - 1);
        int symbols = distinct + (singleTarget ? 2 : 0);
        int batch = singleTarget ? 1 : job.batchSize();
        return charLm(job, steps, symbols, batch);
    }

    /** A char-LM job on a {@code recall:N} task: N + 3 steps of its 10 symbols, {@code batchSize} sequences. */
    static JobSize of(JobSpec job, RecallTask task) {
        return charLm(job, task.steps(), task.vocabulary().size(), job.batchSize());
    }

    private static JobSize charLm(JobSpec job, int steps, int symbols, int batch) {
        CellType cell = CellType.of(job.model());
        long parameters = CharLmModel.size(cell, symbols, job.embedding(), job.hidden(), job.layers());
        // CharLmTraining: ~20 elements per hidden unit per layer per row, the parameters twice more
        long rows = (long) (steps + 1) * batch;
        long perRow = 20L * job.hidden() * job.layers() + 4L * symbols + 2L * job.embedding();
        long elements = rows * perRow + 2 * parameters;
        return new JobSize(job.model(), parameters, steps, batch, job.layers(), cell.opsPerStep, elements, job.steps());
    }

    /**
     * Steps × time steps × batch × parameters: about the multiply-adds of all the job's forward passes
     * (training costs about three times that), saturating at {@link Long#MAX_VALUE}.
     */
    long work() {
        try {
            return Math.multiplyExact(Math.multiplyExact((long) updates * steps, (long) batch), parameters);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The ops training binds once and replays, about 10 KB each. */
    long boundOps() {
        return (long) steps * layers * opsPerStep;
    }

    /** Why this job cannot be trained in one process's memory, or null when it can. */
    String memoryRefusal() {
        if (elements > MAX_ELEMENTS) {
            return "the job is too large: sequenceLength × batchSize × (layers × hidden + vocabulary) needs about "
                    + elements + " array elements, at most " + MAX_ELEMENTS + " are allowed";
        }
        if (boundOps() > MAX_BOUND_OPS) {
            return "the sequence is too long for " + layers + " " + model + " layer(s): " + steps + " steps × " + layers
                    + " layers × " + opsPerStep + " ops a step = " + boundOps() + " bound ops, at most " + MAX_BOUND_OPS
                    + " are allowed (about 10 KB each); use a shorter sequenceLength or fewer layers";
        }
        return null;
    }

    /** Why this job books more work than {@code maxWork}, or null when it does not. */
    String workRefusal(long maxWork) {
        long work = work();
        if (work <= maxWork) {
            return null;
        }
        return String.format("the job would book %,d units of work (steps %,d × %,d time steps × %,d sequences × %,d parameters); "
                + "at most %,d are allowed (trainyard.jobs.max-work): use fewer steps or a smaller model, batch or sequence",
                work, updates, steps, batch, parameters, maxWork);
    }
}
