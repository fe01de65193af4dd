import { describe, expect, it } from 'vitest';
import { FusionError, isRefusedStateMessage, kindForStatus, parseErrorBody } from './errors.js';

describe('Fusion error bodies per framework version', () => {
  it('v4+: application/vnd.oracle.adf.error+json with o:errorDetails', () => {
    const body = JSON.stringify({
      title: 'Bad Request',
      status: '400',
      'o:errorDetails': [
        {
          detail: "You can't create a change order for purchase order US165121 because it is frozen.",
          'o:errorCode': 'PO-2055123',
          'o:errorPath': '/draftPurchaseOrders/300000047110815',
        },
      ],
    });
    expect(parseErrorBody(body, 'application/vnd.oracle.adf.error+json')).toEqual({
      message: "You can't create a change order for purchase order US165121 because it is frozen.",
      errorCode: 'PO-2055123',
    });
  });

  it('v4+ without details falls back to detail, then title', () => {
    expect(parseErrorBody('{"title":"Not Found","status":404}', 'application/json')).toEqual({
      message: 'Not Found',
      errorCode: undefined,
    });
    expect(
      parseErrorBody('{"title":"Bad Request","detail":"URL request parameter q is invalid."}', null).message,
    ).toBe('URL request parameter q is invalid.');
  });

  it('v1–v3: the plain message text', () => {
    expect(
      parseErrorBody("Purchase order 1001 is pending approval and can't be changed.\n", 'text/plain'),
    ).toEqual({
      message: "Purchase order 1001 is pending approval and can't be changed.",
    });
  });

  it('an HTML page from the web tier becomes its title or text', () => {
    expect(
      parseErrorBody(
        '<html><head><title>503 Service Unavailable</title></head><body>x</body></html>',
        'text/html',
      ).message,
    ).toBe('503 Service Unavailable');
  });

  it('empty bodies give no message', () => {
    expect(parseErrorBody('', null)).toEqual({});
  });
});

describe('error kinds', () => {
  it.each([
    [401, undefined, 'auth'],
    [403, undefined, 'no-access'],
    [404, undefined, 'not-found'],
    [412, undefined, 'conflict'],
    [409, undefined, 'conflict'],
    [429, undefined, 'transient'],
    [500, 'Unexpected error', 'transient'],
    [503, undefined, 'transient'],
    [400, 'Attribute Foo is not valid.', 'hard'],
    [
      400,
      "You can't create a change order for purchase order 1 because JDOE has a pending change order on it.",
      'conflict',
    ],
    [
      400,
      "You can't create a change order for purchase order 1 because a change order is pending approval.",
      'conflict',
    ],
    [400, "Purchase order 1 is pending approval and can't be changed.", 'conflict'],
    [400, "You can't create a change order for purchase order 1 because it is frozen.", 'hard'],
    [400, "You can't create a change order for purchase order 1 because its status is Closed.", 'hard'],
  ] as const)('HTTP %i %s → %s', (status, message, kind) => {
    expect(kindForStatus(status, message)).toBe(kind);
  });

  it('recognises refusals for frozen, closed and canceled POs but not pending change orders', () => {
    expect(isRefusedStateMessage('because it is frozen')).toBe(true);
    expect(isRefusedStateMessage('because its status is Canceled')).toBe(true);
    expect(isRefusedStateMessage('because JDOE has a pending change order on it')).toBe(false);
  });

  it('FusionError carries system, kind and Fusion message in its text', () => {
    const e = new FusionError({
      kind: 'hard',
      operation: 'open change order',
      httpStatus: 400,
      fusionMessage: 'frozen',
    });
    expect(e.system).toBe('fusion');
    expect(e.message).toBe('Fusion open change order failed (hard), HTTP 400: frozen');
  });
});
