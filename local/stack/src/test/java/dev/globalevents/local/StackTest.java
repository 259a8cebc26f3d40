package dev.globalevents.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** An end-to-end test class against the shared packaged stack, with an outside client of it. */
@ExtendWith(PackagedStack.Shared.class)
abstract class StackTest {

	static PackagedStack stack;
	static Client client;

	@BeforeAll
	static void stack() {
		stack = PackagedStack.Shared.stack();
		client = new Client(stack);
	}
}
