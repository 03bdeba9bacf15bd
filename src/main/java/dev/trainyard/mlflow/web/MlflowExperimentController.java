package dev.trainyard.mlflow.web;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.trainyard.mlflow.Messages.Experiment;
import dev.trainyard.mlflow.Messages.Tag;
import dev.trainyard.mlflow.MlflowException;
import dev.trainyard.mlflow.ErrorCode;
import dev.trainyard.mlflow.MlflowExperiments;
import dev.trainyard.mlflow.ViewType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** MLflow's experiment endpoints, under both prefixes MLflow's server serves them on. */
@RestController
@RequestMapping({"/api/2.0/mlflow/experiments", "/ajax-api/2.0/mlflow/experiments"})
class MlflowExperimentController {

    private final MlflowExperiments experiments;

    MlflowExperimentController(MlflowExperiments experiments) {
        this.experiments = experiments;
    }

    @PostMapping("/create")
    Map<String, String> create(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        List<Tag> tags = b.list("tags", t -> new Tag(t.requiredString("key"), t.string("value")));
        return Map.of("experiment_id", experiments.create(b.requiredString("name"), tags));
    }

    @GetMapping("/get")
    Map<String, Experiment> get(@RequestParam(name = "experiment_id", required = false) String id) {
        return Map.of("experiment", experiments.get(required("experiment_id", id)));
    }

    @GetMapping("/get-by-name")
    Map<String, Experiment> byName(@RequestParam(name = "experiment_name", required = false) String name) {
        return Map.of("experiment", experiments.byName(required("experiment_name", name)));
    }

    @PostMapping("/set-experiment-tag")
    Map<String, Object> setTag(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        experiments.setTag(b.requiredString("experiment_id"), b.requiredString("key"), b.string("value"));
        return Map.of();
    }

    /** {@code experiments/update}: MLflow's rename. */
    @PostMapping("/update")
    Map<String, Object> update(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        experiments.rename(b.requiredString("experiment_id"), b.requiredString("new_name"));
        return Map.of();
    }

    @PostMapping("/delete")
    Map<String, Object> delete(@RequestBody(required = false) byte[] body) {
        experiments.delete(Body.of(body).requiredString("experiment_id"));
        return Map.of();
    }

    @PostMapping("/restore")
    Map<String, Object> restore(@RequestBody(required = false) byte[] body) {
        experiments.restore(Body.of(body).requiredString("experiment_id"));
        return Map.of();
    }

    @PostMapping("/search")
    Map<String, Object> searchByPost(@RequestBody(required = false) byte[] body) {
        Body b = Body.of(body);
        return search(b.string("filter"), ViewType.of(b.string("view_type"), "view_type"), b.int64("max_results"),
                b.string("page_token"));
    }

    @GetMapping("/search")
    Map<String, Object> searchByGet(@RequestParam(required = false) String filter,
            @RequestParam(name = "view_type", required = false) String viewType,
            @RequestParam(name = "max_results", required = false) String maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        Long max;
        try {
            max = maxResults == null ? null : Long.valueOf(maxResults);
        } catch (NumberFormatException e) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid value '" + maxResults + "' for parameter 'max_results'");
        }
        return search(filter, ViewType.of(viewType, "view_type"), max, pageToken);
    }

    private Map<String, Object> search(String filter, ViewType viewType, Long maxResults, String pageToken) {
        long max = maxResults == null ? 1000 : maxResults;
        if (max < 1 || max > 50000) {
            throw new MlflowException(ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid value " + max + " for parameter 'max_results': it must be between 1 and 50000");
        }
        List<Experiment> all = experiments.search(filter, viewType);
        int offset = Paging.offset(pageToken);
        int to = (int) Math.min(all.size(), offset + max);
        var answer = new HashMap<String, Object>();
        answer.put("experiments", all.subList(Math.min(offset, all.size()), to));
        if (to < all.size()) {
            answer.put("next_page_token", Paging.token(to));
        }
        return answer;
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw Body.missing(field);
        }
        return value;
    }
}
