package dev.globalevents.runtime.web;


import dev.globalevents.events.Json;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;

/**
 * Answers requests the HTTP decoder could not read — headers over the size limit (431), a request line over its limit
 * (414), invalid bytes in the head, an unreadable Content-Length (400), a broken chunked body (400) — with an
 * {@code application/problem+json} reason instead of the server's empty answer, then closes the connection (what
 * follows cannot be trusted), as the server itself would. Sits right after the HTTP codec; anything decoded cleanly
 * passes through untouched.
 */
final class DecodeFailureProblems extends ChannelInboundHandlerAdapter {

	static final String NAME = "globalevents.decodeFailureProblems";

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof HttpRequest request && request.decoderResult().isFailure()) {
			Throwable cause = request.decoderResult().cause();
			ReferenceCountUtil.release(msg);
			ctx.writeAndFlush(response(problem(cause))).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		if (msg instanceof HttpContent content && content.decoderResult().isFailure()) {
			// the body broke off (e.g. an invalid chunk size): the function is still waiting for it
			Throwable cause = content.decoderResult().cause();
			ReferenceCountUtil.release(msg);
			ctx.writeAndFlush(response(Problem.of(400, "unreadable-body", "Unreadable request body",
					"The request body could not be read: " + reason(cause)))).addListener(ChannelFutureListener.CLOSE);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	static Problem problem(Throwable cause) {
		if (cause instanceof TooLongHttpHeaderException) {
			return Problem.of(431, "headers-too-large", "Request header fields too large",
					"The request's headers exceed the server's limit: " + reason(cause));
		}
		if (cause instanceof TooLongHttpLineException) {
			return Problem.of(414, "uri-too-long", "URI too long", "The request line exceeds the server's limit: " + reason(cause));
		}
		return Problem.of(400, "malformed-http", "Malformed HTTP request", "The request could not be read as HTTP/1.1: " + reason(cause));
	}

	private static String reason(Throwable cause) {
		String message = cause == null || cause.getMessage() == null ? "unreadable" : cause.getMessage();
		// the decoder's message can quote request bytes: keep it short and printable
		String printable = message.codePoints().filter(c -> c >= 0x20 && c < 0x7f).limit(200)
				.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
		return printable.isBlank() ? "unreadable" : printable;
	}

	private static FullHttpResponse response(Problem problem) {
		byte[] body = Json.MAPPER.writeValueAsBytes(problem);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(problem.status()),
				Unpooled.wrappedBuffer(body));
		response.headers().set(HttpHeaderNames.CONTENT_TYPE, Problem.MEDIA_TYPE)
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
				.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

}
