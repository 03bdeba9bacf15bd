package dev.trainyard.tracking;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface Projects extends JpaRepository<Project, String> {

    Optional<Project> findBySlug(String slug);
}
