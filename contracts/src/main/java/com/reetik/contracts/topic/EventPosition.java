package com.reetik.contracts.topic;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where an event is in {@code reetik.video-events}: its partition and offset. The projector writes it as the header
 * {@value #HEADER} ({@code partition:offset}, ASCII) of each view on {@code reetik.video-status}: the position of the
 * last event folded into that view. The gateway's live path folds the events after it onto the view.
 */
public record EventPosition(int partition, long offset) {

    public static final String HEADER = "reetik-event-position";

    public byte[] bytes() {
        return (partition + ":" + offset).getBytes(StandardCharsets.US_ASCII);
    }

    /** The position in {@code headers}, or empty when there is none or it cannot be read (an older projector). */
    public static Optional<EventPosition> of(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return Optional.empty();
        }
        String text = new String(header.value(), StandardCharsets.US_ASCII);
        int colon = text.indexOf(':');
        try {
            return colon <= 0 ? Optional.empty() : Optional.of(new EventPosition(
                    Integer.parseInt(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
