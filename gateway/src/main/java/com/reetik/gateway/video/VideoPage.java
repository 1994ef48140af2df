package com.reetik.gateway.video;

import com.reetik.contracts.status.VideoSummary;
import java.util.List;

/** One page of a user's library, newest first. */
record VideoPage(List<VideoSummary> videos, int page, int size, int total) {
}
