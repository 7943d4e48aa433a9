/** The chat WebSocket endpoint and its session registry. */
package dev.candor.interfaces.websocket;
