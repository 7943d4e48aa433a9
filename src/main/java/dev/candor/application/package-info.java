/** Application services shared by the interfaces: the service registry and the initialization gate. */
package dev.candor.application;
