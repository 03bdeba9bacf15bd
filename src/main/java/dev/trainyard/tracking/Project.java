package dev.trainyard.tracking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import dev.trainyard.shared.Ids;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

@Entity
@Table(name = "project")
public class Project {

    /** Room left in the 100-character slug column for a dash and an 8-digit hash. */
    private static final int MAX_BASE_SLUG = 91;

    @Id
    private String id;
    private String slug;
    private String name;
    private String description;
    private Instant createdAt;
    /** Set and cleared only by {@link ProjectManagement#markDeleted} / {@link ProjectManagement#restore}. */
    @jakarta.persistence.Column(name = "deleted_at", insertable = false, updatable = false)
    private Instant deletedAt;

    protected Project() {
    }

    Project(String name, String slug, String description, Instant now) {
        this.id = Ids.newId();
        this.slug = slug;
        this.name = name;
        this.description = description;
        this.createdAt = now;
    }

    /**
     * The slug a name asks for: lower case, runs of anything outside [a-z0-9] become one dash, no
     * dash at either end. A name with no letter or digit, such as {@code ...}, gets one from its
     * hash, so every name has a stable slug.
     */
    public static String slugOf(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.isEmpty()) {
            return "p-" + hashOf(name);
        }
        return slug.length() > MAX_BASE_SLUG ? slug.substring(0, MAX_BASE_SLUG).replaceAll("-+$", "") : slug;
    }

    /** The slug for a name whose own slug another name has taken: still stable, and distinct. */
    static String distinctSlugOf(String name) {
        return slugOf(name) + "-" + hashOf(name);
    }

    private static String hashOf(String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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

    /** When MLflow's delete_experiment hid the project; null while it is active. */
    public Instant getDeletedAt() {
        return deletedAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }
}
