package dev.trainyard.jobs;

import dev.trainyard.training.JobSizes;
import dev.trainyard.training.Predictor;
import dev.trainyard.training.UploadedTexts;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The limits a job is held to when it is queued, from {@code trainyard.jobs.*}. */
@Configuration(proxyBeanMethods = false)
class JobLimits {

    // Made here rather than scanned in training: training must not depend on jobs, which owns the settings.
    @Bean
    JobSizes jobSizes(JobSettings settings, ObjectProvider<UploadedTexts> uploads, Predictor predictor) {
        return new JobSizes(settings.maxWork(), uploads, predictor);
    }
}
