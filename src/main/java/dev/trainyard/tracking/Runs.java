package dev.trainyard.tracking;

import org.springframework.data.jpa.repository.JpaRepository;

interface Runs extends JpaRepository<Run, String> {

    long countByProject(Project project);
}
