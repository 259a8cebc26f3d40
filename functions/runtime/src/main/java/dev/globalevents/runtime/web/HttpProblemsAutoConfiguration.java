package dev.globalevents.runtime.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.NettyPipeline;

/**
 * Every function's HTTP server refuses bad requests with a reason: {@link DecodeFailureProblems} for what the HTTP
 * decoder cannot read, {@link ProblemExceptionHandler} for what the web layer refuses. Applied to every reactive
 * function app on the classpath of this module, nothing to declare.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(NettyServerCustomizer.class)
public class HttpProblemsAutoConfiguration {

	@Bean
	NettyServerCustomizer decodeFailureProblems() {
		return server -> server.doOnChannelInit((observer, channel, address) -> {
			if (channel.pipeline().get(NettyPipeline.HttpCodec) != null && channel.pipeline().get(DecodeFailureProblems.NAME) == null) {
				channel.pipeline().addAfter(NettyPipeline.HttpCodec, DecodeFailureProblems.NAME, new DecodeFailureProblems());
			}
		});
	}

	@Bean
	ProblemExceptionHandler problemExceptionHandler() {
		return new ProblemExceptionHandler();
	}
}
