package com.reetik.gateway.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What {@code /v3/api-docs} says about the API as a whole (springdoc describes the routes from the controllers). */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String BEARER = "bearer";

    @Bean
    OpenAPI reetikOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Reetik API").version("v1").description("""
                        Short videos from a theme: create (POST /api/videos), follow (GET /api/videos/{id}/events, \
                        server-sent events), list, download, cancel, retry. JSON is snake_case; errors are \
                        {"error": {"code", "message", "field"?}}. Everything under /api but /api/auth/** needs \
                        Authorization: Bearer <access_token>; a video's file and poster also open with \
                        ?media_token= (POST /api/media-token)."""))
                .components(new Components().addSecuritySchemes(BEARER, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }
}
