import type { Principal } from './auth/Principal.js';
import type { ApiLoaders } from './createApiLoaders.js';
import type { ApiServices } from './createApiServices.js';

/** What every resolver receives: the caller, the server's services and this request's loaders. */
export interface ApiContext {
  principal: Principal;
  services: ApiServices;
  loaders: ApiLoaders;
}
