package dev.trainyard.training;

import java.io.IOException;
import java.nio.file.Files;

/** What a dl4j job's spec points at, read: the network's JSON, the table's bytes and its schema. */
record TabularSource(String network, byte[] csv, TabularSchema schema) {

    private static final String UPLOAD = "dataset:";

    /**
     * @param uploads the datasets feature, or null without it
     * @throws JobRefusal naming {@code networkFile} or {@code dataset} when what it names cannot be had
     */
    static TabularSource resolve(JobSpec job, UploadedTexts uploads) {
        String network = job.network();
        if (network == null && job.networkFile() != null) {
            var file = uploads == null ? java.util.Optional.<java.nio.file.Path>empty() : uploads.textFile(job.networkFile());
            if (file.isEmpty()) {
                throw new JobRefusal("networkFile", "upload '" + job.networkFile() + "' does not exist; upload the JSON with "
                        + "POST /api/v1/datasets");
            }
            try {
                network = Files.readString(file.get());
            } catch (IOException e) {
                throw new JobRefusal("networkFile", "upload '" + job.networkFile() + "' could not be read: " + e.getMessage(), e);
            }
        }
        String dataset = job.dataset();
        byte[] builtin = Tabular.builtinCsv(dataset);
        if (builtin != null) {
            return new TabularSource(network, builtin, Tabular.builtinSchema(dataset));
        }
        if (dataset == null || !dataset.startsWith(UPLOAD)) {
            throw new JobRefusal("dataset", "a dl4j job trains on " + String.join(", ", Tabular.BUILTINS.keySet())
                    + " or dataset:<id> of a CSV upload, not " + dataset);
        }
        String id = dataset.substring(UPLOAD.length());
        var table = uploads == null ? java.util.Optional.<UploadedTexts.Table>empty() : uploads.table(id);
        if (table.isEmpty()) {
            throw new JobRefusal("dataset", "dataset '" + id + "' does not exist; upload a CSV with POST /api/v1/datasets");
        }
        if (table.get().schema() == null) {
            throw new JobRefusal("dataset", "dataset '" + id + "' is text, not a table: upload a CSV (a .csv name, or "
                    + "rows of delimited fields) to train a dl4j network on it");
        }
        try {
            return new TabularSource(network, Files.readAllBytes(table.get().file()), table.get().schema());
        } catch (IOException e) {
            throw new JobRefusal("dataset", "dataset '" + id + "' could not be read: " + e.getMessage(), e);
        }
    }
}
