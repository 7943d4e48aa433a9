/** Wire frames as records, their codec and the error codes. */
package dev.candor.interfaces.websocket.protocol;
