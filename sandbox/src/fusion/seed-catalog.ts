/**
 * The fixed reference data the seed generator draws from: business units, buyers, ship-to locations,
 * suppliers with sites and addresses, items with weights, carriers and charge accounts.
 *
 * The valid addresses are entries of the UPS sandbox's address book (sandbox/src/ups/address-book.ts), so
 * UPS address validation accepts them. Addresses marked `expect: 'invalid'` use made-up streets ("999 Nowhere Rd") and those marked
 * `expect: 'ambiguous'` lack a postal code, so the UPS sandbox's address validation can flag them.
 */

export interface CatalogAddress {
  line1: string;
  line2?: string;
  city: string;
  county: string;
  state: string;
  postalCode: string;
  country: 'US';
  /** What UPS address validation should say about it. */
  expect: 'valid' | 'ambiguous' | 'invalid';
}

export interface CatalogLocation {
  code: string;
  name: string;
  orgCode: string;
  address: CatalogAddress;
}

export interface CatalogSupplier {
  name: string;
  number: string;
  sites: { code: string; address: CatalogAddress; email: string }[];
}

const us = (
  line1: string,
  city: string,
  county: string,
  state: string,
  postalCode: string,
  expect: CatalogAddress['expect'] = 'valid',
): CatalogAddress => ({ line1, city, county, state, postalCode, country: 'US', expect });

export const LEGAL_ENTITY = { id: 300000046975971, name: 'US1 Legal Entity' };

export const BUSINESS_UNITS = [
  { id: 300000046987012, name: 'US1 Business Unit' },
  { id: 300000046987013, name: 'US2 Business Unit' },
];

export const BUYERS = [
  { id: 300000047340498, display: 'Taylor, Morgan', email: 'morgan.taylor@example.com' },
  { id: 300000047340512, display: 'Nguyen, Avery', email: 'avery.nguyen@example.com' },
  { id: 300000047340533, display: 'Garcia, Jordan', email: 'jordan.garcia@example.com' },
];

export const REQUESTERS = [
  { id: 300000047511001, display: 'Patel, Riley' },
  { id: 300000047511002, display: 'Brooks, Casey' },
  { id: 300000047511003, display: 'Kim, Jamie' },
];

export const BILL_TO: CatalogLocation = {
  code: 'US1-HQ',
  name: 'US1 Headquarters',
  orgCode: 'HQ',
  address: us('500 Oracle Pkwy', 'Redwood City', 'San Mateo', 'CA', '94065'),
};

export const SHIP_TO_LOCATIONS: CatalogLocation[] = [
  {
    code: 'ATL-DC',
    name: 'Atlanta Distribution Center',
    orgCode: 'ATL',
    address: us('55 Glenlake Pkwy NE', 'Atlanta', 'Fulton', 'GA', '30328'),
  },
  {
    code: 'NYC-RCV',
    name: 'New York Receiving',
    orgCode: 'NYC',
    address: us('350 5th Ave', 'New York', 'New York', 'NY', '10118'),
  },
  {
    code: 'SJC-WH',
    name: 'San Jose Warehouse',
    orgCode: 'SJC',
    address: us('2211 N 1st St', 'San Jose', 'Santa Clara', 'CA', '95131'),
  },
  {
    code: 'LOU-DC',
    name: 'Louisville Distribution Center',
    orgCode: 'LOU',
    address: us('1350 Commerce Dr', 'Louisville', 'Jefferson', 'KY', '40223'),
  },
  {
    code: 'MIA-OFC',
    name: 'Miami Beach Office',
    orgCode: 'MIA',
    address: us('915 Lincoln Rd', 'Miami Beach', 'Miami-Dade', 'FL', '33139'),
  },
  {
    code: 'SFO-OFC',
    name: 'San Francisco Office',
    orgCode: 'SFO',
    address: us('88 Colin P Kelly Jr St', 'San Francisco', 'San Francisco', 'CA', '94107'),
  },
];

/** Ship-to locations whose address UPS should not accept; used by a small share of POs. */
export const BAD_SHIP_TO_LOCATIONS: CatalogLocation[] = [
  {
    code: 'PHX-NEW',
    name: 'Phoenix Overflow (new site)',
    orgCode: 'PHX',
    address: us('999 Nowhere Rd', 'Phoenix', 'Maricopa', 'AZ', '85999', 'invalid'),
  },
  {
    code: 'SPR-TMP',
    name: 'Springfield Temporary Dock',
    orgCode: 'SPR',
    address: us('100 Main St', 'Springfield', 'Greene', 'MO', '', 'ambiguous'),
  },
];

export const SUPPLIERS: CatalogSupplier[] = [
  {
    name: 'Acme Industrial Supply',
    number: '1252',
    sites: [
      {
        code: 'ACME MOUNTAIN VIEW',
        email: 'orders@acme-industrial.example.com',
        address: us('1600 Amphitheatre Pkwy', 'Mountain View', 'Santa Clara', 'CA', '94043'),
      },
    ],
  },
  {
    name: 'Northwind Components',
    number: '1253',
    sites: [
      {
        code: 'NORTHWIND EUGENE',
        email: 'po@northwind.example.com',
        address: us('2300 Oakmont Way', 'Eugene', 'Lane', 'OR', '97401'),
      },
      {
        code: 'NORTHWIND LA',
        email: 'la@northwind.example.com',
        address: us('7421 Sunset Blvd', 'Los Angeles', 'Los Angeles', 'CA', '90046'),
      },
    ],
  },
  {
    name: 'Pacific Fasteners',
    number: '1254',
    sites: [
      {
        code: 'PACIFIC PASO ROBLES',
        email: 'sales@pacific-fasteners.example.com',
        address: us('101 Main St', 'Paso Robles', 'San Luis Obispo', 'CA', '93446'),
      },
    ],
  },
  {
    name: 'Summit Office Products',
    number: '1255',
    sites: [
      {
        code: 'SUMMIT NEW YORK',
        email: 'orders@summit-office.example.com',
        address: us('1 Rockefeller Plz', 'New York', 'New York', 'NY', '10020'),
      },
    ],
  },
  {
    name: 'Hudson Valley Electrical',
    number: '1256',
    sites: [
      {
        code: 'HUDSON MOUNT KISCO',
        email: 'po@hudsonvalley-electric.example.com',
        address: us('1 E Main St', 'Mount Kisco', 'Westchester', 'NY', '10549'),
      },
    ],
  },
  {
    name: 'Blue Ridge Packaging',
    number: '1257',
    sites: [
      {
        code: 'BLUE RIDGE ITHACA',
        email: 'orders@blueridgepack.example.com',
        address: us('27 Orchard Ln', 'Ithaca', 'Tompkins', 'NY', '14850'),
      },
    ],
  },
  {
    name: 'Redwood Lab Instruments',
    number: '1258',
    sites: [
      {
        code: 'REDWOOD SUNNYVALE',
        email: 'po@redwoodlab.example.com',
        address: us('640 W California Ave', 'Sunnyvale', 'Santa Clara', 'CA', '94086'),
      },
    ],
  },
  {
    name: 'Harbor Safety Equipment',
    number: '1259',
    sites: [
      {
        code: 'HARBOR HOBOKEN',
        email: 'sales@harborsafety.example.com',
        address: us('48 Willow Ave', 'Hoboken', 'Hudson', 'NJ', '07030'),
      },
    ],
  },
  {
    name: 'Lone Star Tools',
    number: '1260',
    sites: [
      {
        code: 'LONESTAR PLANO',
        email: 'po@lonestartools.example.com',
        address: us('3010 Briarwood Dr', 'Plano', 'Collin', 'TX', '75074'),
      },
      {
        code: 'LONESTAR NOWHERE',
        email: 'po@lonestartools.example.com',
        address: us('999 Nowhere Rd', 'Nowhere', 'Nowhere', 'TX', '79999', 'invalid'),
      },
    ],
  },
  {
    name: 'Prairie Lab Supply',
    number: '1261',
    sites: [
      {
        code: 'PRAIRIE MAIN ST',
        email: 'orders@prairielab.example.com',
        address: us('100 Main St', 'Springfield', 'Sangamon', 'IL', '', 'ambiguous'),
      },
    ],
  },
];

/** Every address in the catalog, for the UPS sandbox's address book and for tests. */
export function allCatalogAddresses(): CatalogAddress[] {
  return [
    BILL_TO.address,
    ...SHIP_TO_LOCATIONS.map((l) => l.address),
    ...BAD_SHIP_TO_LOCATIONS.map((l) => l.address),
    ...SUPPLIERS.flatMap((s) => s.sites.map((site) => site.address)),
  ];
}
