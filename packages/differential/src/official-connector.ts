/** Loading an official package: shared with the playground's compare mode (`@idplug/emulators`). */
export { consoleStoredConfig, officialFactory } from '@idplug/emulators';
