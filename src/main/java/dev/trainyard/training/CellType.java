package dev.trainyard.training;

/** The recurrent cells of the character language models, with the number of gate blocks each uses. */
enum CellType {

    /** {@code h' = tanh(x·Wx + h·Wh + b)}. */
    RNN("rnn", 1, 4),
    /**
     * libnd4j's {@code gru} formulation, gates ordered reset, update, candidate:
     * {@code r = σ(x·Wxr + h·Whr + br)}, {@code u = σ(x·Wxu + h·Whu + bu)},
     * {@code c = tanh(x·Wxc + r ⊙ (h·Whc) + bc)}, {@code h' = u ⊙ h + (1 - u) ⊙ c}.
     */
    GRU("gru", 3, 11),
    /** libnd4j's LSTM without peepholes: see {@link Ops#lstmBlock}. */
    LSTM("lstm", 4, 6);

    final String id;
    final int gates;
    /** Bound ops per time step per layer in {@link CharLmTraining}, forward and backward. */
    final int opsPerStep;

    CellType(String id, int gates, int opsPerStep) {
        this.id = id;
        this.gates = gates;
        this.opsPerStep = opsPerStep;
    }

    static CellType of(String id) {
        for (CellType type : values()) {
            if (type.id.equals(id)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a character language model: '" + id + "'");
    }
}
