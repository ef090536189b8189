// A new, empty IndexedDB for one test (fake-indexeddb; unit and component
// tests only). Stubs the key range type too: range reads need it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { vi } from 'vitest';

export function freshIndexedDb(): IDBFactory {
  const factory = new IDBFactory();
  vi.stubGlobal('indexedDB', factory);
  vi.stubGlobal('IDBKeyRange', IDBKeyRange);
  return factory;
}
