package com.reetik.gateway.video;

/** The 202 answer of create, cancel and retry: where to follow the video. */
record AcceptedVideo(String videoId, String status, String statusUrl, String eventsUrl) {

    static AcceptedVideo of(String videoId, String status) {
        String statusUrl = "/api/videos/" + videoId;
        return new AcceptedVideo(videoId, status, statusUrl, statusUrl + "/events");
    }
}
