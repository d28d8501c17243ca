/** Errors of the mock provider itself (not OAuth protocol errors, see oauth-response.ts). */
export class MockProviderError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MockProviderError';
    this.code = code;
  }
}

/** Bad options, config file or fixtures. */
export class MockProviderConfigError extends MockProviderError {
  constructor(message: string, options?: ErrorOptions) {
    super('PROVIDER_CONFIG', message, options);
    this.name = 'MockProviderConfigError';
  }
}

/** A control-API request that cannot be honoured (bad fault spec, unknown switch). */
export class ControlRequestError extends MockProviderError {
  constructor(message: string) {
    super('CONTROL_BAD_REQUEST', message);
    this.name = 'ControlRequestError';
  }
}
