package dev.trainyard.tracking;

import java.time.Instant;
import java.util.Locale;

import dev.trainyard.shared.Ids;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "project")
public class Project {

    @Id
    private String id;
    private String slug;
    private String name;
    private String description;
    private Instant createdAt;

    protected Project() {
    }

    Project(String name, String description, Instant now) {
        this.id = Ids.newId();
        this.slug = slugOf(name);
        this.name = name;
        this.description = description;
        this.createdAt = now;
    }

    /** Lower case, runs of anything outside [a-z0-9] become one dash, no dash at either end. */
    public static String slugOf(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.length() > 100 ? slug.substring(0, 100).replaceAll("-+$", "") : slug;
    }

    public String getId() {
        return id;
    }

    public String getSlug() {
        return slug;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
