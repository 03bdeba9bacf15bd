package dev.trainyard.tracking;

import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

interface Projects extends JpaRepository<Project, String> {

    Optional<Project> findBySlug(String slug);

    /** Projects are known by their display name; the slug is only their address. */
    Optional<Project> findByName(String name);

    boolean existsBySlug(String slug);
}
