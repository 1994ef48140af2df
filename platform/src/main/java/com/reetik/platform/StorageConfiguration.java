package com.reetik.platform;

import com.reetik.contracts.storage.LocalObjectStore;
import com.reetik.contracts.storage.ObjectStore;
import com.reetik.gcp.storage.GcsObjectStore;
import com.reetik.gcp.storage.GcsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Imported by the services that touch videos (bridge, gateway): where the clips and final videos are. The bucket's
 * settings ({@code reetik.storage.gcs}, {@link GcsProperties}) are read by these services only.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GcsProperties.class)
public class StorageConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StorageConfiguration.class);

    /**
     * The bucket {@code BUCKET_NAME_V2} when it is set, else files under {@code REETIK_STORAGE_DIR}. A launcher
     * that already holds a store (a test's in-memory bucket) registers it, and this one is not made.
     */
    @Bean
    @ConditionalOnMissingBean(ObjectStore.class)
    ObjectStore objectStore(ReetikProperties properties, GcsProperties gcs) throws IOException {
        Optional<GcsSettings> bucket = gcs.settings();
        if (bucket.isPresent()) {
            log.info("Storage: gs://{}", bucket.get().bucket());
            return GcsObjectStore.create(bucket.get());
        }
        Files.createDirectories(properties.storageDir());
        log.info("Storage: {}", properties.storageDir());
        return new LocalObjectStore(properties.storageDir());
    }

}
