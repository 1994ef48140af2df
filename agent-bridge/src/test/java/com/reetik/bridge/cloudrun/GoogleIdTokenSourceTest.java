package com.reetik.bridge.cloudrun;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.auth.oauth2.AccessToken;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class GoogleIdTokenSourceTest {

    @Test
    void givesNoTokenWithoutCredentialsAndLooksThemUpOnce() throws Exception {
        // Given no application default credentials
        AtomicInteger lookups = new AtomicInteger();
        GoogleIdTokenSource source = new GoogleIdTokenSource(() -> {
            lookups.incrementAndGet();
            throw new IOException("The Application Default Credentials are not available.");
        });

        // When tokens are asked for twice
        // Then there is none, and the credentials were looked up once
        assertThat(source.idToken("https://agent-script-v2.run.app")).isEmpty();
        assertThat(source.idToken("https://agent-video-v2.run.app")).isEmpty();
        assertThat(lookups).hasValue(1);
    }

    @Test
    void givesNoTokenWithCredentialsThatCannotMintIdTokens() throws Exception {
        // Given plain access-token credentials (like a user's gcloud login)
        GoogleIdTokenSource source = new GoogleIdTokenSource(
                () -> GoogleCredentials.create(new AccessToken("access", null)));

        // When / Then
        assertThat(source.idToken("https://agent-script-v2.run.app")).isEmpty();
    }
}
