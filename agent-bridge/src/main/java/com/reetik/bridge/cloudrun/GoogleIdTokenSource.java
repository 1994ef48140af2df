package com.reetik.bridge.cloudrun;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.IdTokenCredentials;
import com.google.auth.oauth2.IdTokenProvider;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ID tokens from Google's application default credentials (a service account key named by
 * {@code GOOGLE_APPLICATION_CREDENTIALS}, or the metadata server on Cloud Run / GCE). The credentials are looked up
 * on the first request; without credentials able to mint ID tokens (none at all, or a user's gcloud login) it gives
 * no token, and says so once in the log. Tokens are cached per audience and refreshed before they expire.
 */
public final class GoogleIdTokenSource implements IdTokenSource {

    private static final Logger LOG = LoggerFactory.getLogger(GoogleIdTokenSource.class);

    /** Loads the credentials; {@link GoogleCredentials#getApplicationDefault()} by default. */
    @FunctionalInterface
    public interface CredentialsLoader {
        GoogleCredentials load() throws IOException;
    }

    private final CredentialsLoader loader;
    private final ConcurrentMap<String, IdTokenCredentials> byAudience = new ConcurrentHashMap<>();
    private volatile Optional<IdTokenProvider> provider;

    public GoogleIdTokenSource() {
        this(GoogleCredentials::getApplicationDefault);
    }

    public GoogleIdTokenSource(CredentialsLoader loader) {
        this.loader = loader;
    }

    @Override
    public Optional<String> idToken(String audience) throws IOException {
        Optional<IdTokenProvider> p = provider();
        if (p.isEmpty()) {
            return Optional.empty();
        }
        IdTokenCredentials credentials = byAudience.computeIfAbsent(audience, a -> IdTokenCredentials.newBuilder()
                .setIdTokenProvider(p.get())
                .setTargetAudience(a)
                .build());
        credentials.refreshIfExpired();
        if (credentials.getIdToken() == null) {
            throw new IOException("no ID token was returned for audience " + audience);
        }
        return Optional.of(credentials.getIdToken().getTokenValue());
    }

    private Optional<IdTokenProvider> provider() {
        Optional<IdTokenProvider> p = provider;
        if (p == null) {
            synchronized (this) {
                p = provider;
                if (p == null) {
                    p = load();
                    provider = p;
                }
            }
        }
        return p;
    }

    private Optional<IdTokenProvider> load() {
        try {
            GoogleCredentials credentials = loader.load();
            if (credentials instanceof IdTokenProvider idTokenProvider) {
                return Optional.of(idTokenProvider);
            }
            LOG.warn("cloud-run agents: the Google credentials ({}) cannot mint ID tokens; calling without a token",
                    credentials == null ? "none" : credentials.getClass().getSimpleName());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cloud-run agents: no Google credentials ({}); calling without a token", e.getMessage());
        }
        return Optional.empty();
    }
}
