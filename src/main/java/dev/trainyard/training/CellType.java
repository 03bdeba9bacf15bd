package dev.trainyard.training;

/** The recurrent cells of the character language models, with the number of gate blocks each uses. */
enum CellType {

    /** {@code h' = tanh(x·Wx + h·Wh + b)}. */
    RNN("rnn", 1),
    /** libnd4j's GRU: see {@link Ops#gru}. */
    GRU("gru", 3),
    /** libnd4j's LSTM without peepholes: see {@link Ops#lstmBlock}. */
    LSTM("lstm", 4);

    final String id;
    final int gates;

    CellType(String id, int gates) {
        this.id = id;
        this.gates = gates;
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
