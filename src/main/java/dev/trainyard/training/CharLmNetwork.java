package dev.trainyard.training;

import java.util.concurrent.locks.ReentrantLock;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * Everything a char-LM job allocates, built together and released together: on success when the
 * job ends, and on failure at once, so a job too big for the memory left gives all of it back
 * before it reports why.
 */
record CharLmNetwork(CharLmModel model, CharLmTraining training, Optimizer optimizer, CharLmStepper sampler)
        implements AutoCloseable {

    /** One job allocates at a time, so each checks the budget against what the others already hold. */
    private static final ReentrantLock BUILDING = new ReentrantLock();

    /**
     * @param distances where training reports hidden-state gradient norms: see {@link CharLmTraining}
     * @throws TrainingException when the network cannot be built, "off-heap memory exhausted" when it
     *                           does not fit in the memory left
     */
    static CharLmNetwork build(JobSpec job, CellType cell, Vocabulary vocabulary, int firstSymbol, int targetLength,
            int steps, int batch, int[] distances) {
        CharLmModel model = null;
        CharLmTraining training = null;
        Optimizer optimizer = null;
        BUILDING.lock();
        try {
            OffHeap.reserve(CharLmModel.size(cell, vocabulary.size(), job.embedding(), job.hidden(), job.layers())
                    * DataType.FLOAT.width(), "the job's parameters");
            model = CharLmModel.initialise(cell, vocabulary, job.embedding(), job.hidden(), job.layers(), job.loss(),
                    firstSymbol, targetLength, job.seed(), DataType.FLOAT);
            training = new CharLmTraining(model, steps, batch, distances);
            optimizer = new Optimizer(job.optimizer(), job.learningRate(), job.clipGradient(), model.params,
                    training.gradient());
            return new CharLmNetwork(model, training, optimizer, new CharLmStepper(model));
        } catch (RuntimeException | OutOfMemoryError e) {
            if (optimizer != null) {
                optimizer.close();
            }
            if (training != null) {
                training.close();
            }
            if (model != null) {
                model.params.close();
            }
            if (e instanceof TrainingException refused) {
                throw refused;
            }
            if (e instanceof OutOfMemoryError exhausted) {
                throw OffHeap.exhausted(exhausted);
            }
            throw new TrainingException("could not build the " + job.model() + " network: " + e.getMessage(), e);
        } finally {
            BUILDING.unlock();
        }
    }

    @Override
    public void close() {
        try (training; optimizer; sampler) {
            // closed in reverse: sampler, optimizer, training
        } finally {
            model.params.close();
        }
    }
}
