/**
 * The fixed reference data the seed generator draws from: business units, buyers, ship-to locations,
 * suppliers with sites and addresses, items with weights, carriers and charge accounts.
 *
 * Addresses marked `expect: 'invalid'` use made-up streets ("999 Nowhere Rd") and those marked
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
    code: 'SEA-DC',
    name: 'Seattle Distribution Center',
    orgCode: 'SEA',
    address: us('411 University St', 'Seattle', 'King', 'WA', '98101'),
  },
  {
    code: 'CHI-WH',
    name: 'Chicago Warehouse',
    orgCode: 'CHI',
    address: us('2200 W Cermak Rd', 'Chicago', 'Cook', 'IL', '60608'),
  },
  {
    code: 'ATL-DC',
    name: 'Atlanta Distribution Center',
    orgCode: 'ATL',
    address: us('1500 Southside Industrial Pkwy SE', 'Atlanta', 'Fulton', 'GA', '30354'),
  },
  {
    code: 'DAL-RCV',
    name: 'Dallas Receiving',
    orgCode: 'DAL',
    address: us('4500 Irving Blvd', 'Dallas', 'Dallas', 'TX', '75247'),
  },
  {
    code: 'EDI-FC',
    name: 'Edison Fulfillment Center',
    orgCode: 'EDI',
    address: us('300 Raritan Center Pkwy', 'Edison', 'Middlesex', 'NJ', '08837'),
  },
  {
    code: 'DEN-OFC',
    name: 'Denver Office',
    orgCode: 'DEN',
    address: us('1801 California St', 'Denver', 'Denver', 'CO', '80202'),
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
        code: 'ACME ELK GROVE',
        email: 'orders@acme-industrial.example.com',
        address: us('1200 Busse Rd', 'Elk Grove Village', 'Cook', 'IL', '60007'),
      },
    ],
  },
  {
    name: 'Northwind Components',
    number: '1253',
    sites: [
      {
        code: 'NORTHWIND PDX',
        email: 'po@northwind.example.com',
        address: us('8400 NE Alderwood Rd', 'Portland', 'Multnomah', 'OR', '97220'),
      },
      {
        code: 'NORTHWIND RENO',
        email: 'reno@northwind.example.com',
        address: us('1255 Greg St', 'Sparks', 'Washoe', 'NV', '89431'),
      },
    ],
  },
  {
    name: 'Pacific Fasteners',
    number: '1254',
    sites: [
      {
        code: 'PACIFIC CARSON',
        email: 'sales@pacific-fasteners.example.com',
        address: us('2001 E Dominguez St', 'Carson', 'Los Angeles', 'CA', '90810'),
      },
    ],
  },
  {
    name: 'Summit Office Products',
    number: '1255',
    sites: [
      {
        code: 'SUMMIT COLUMBUS',
        email: 'orders@summit-office.example.com',
        address: us('4100 Fisher Rd', 'Columbus', 'Franklin', 'OH', '43228'),
      },
    ],
  },
  {
    name: 'Great Lakes Electrical',
    number: '1256',
    sites: [
      {
        code: 'GLE DETROIT',
        email: 'po@gle.example.com',
        address: us('6501 E Nevada St', 'Detroit', 'Wayne', 'MI', '48234'),
      },
    ],
  },
  {
    name: 'Blue Ridge Packaging',
    number: '1257',
    sites: [
      {
        code: 'BLUE RIDGE CLT',
        email: 'orders@blueridgepack.example.com',
        address: us('3500 Westinghouse Blvd', 'Charlotte', 'Mecklenburg', 'NC', '28273'),
      },
    ],
  },
  {
    name: 'Redwood Lab Instruments',
    number: '1258',
    sites: [
      {
        code: 'REDWOOD SAN JOSE',
        email: 'po@redwoodlab.example.com',
        address: us('2150 Ringwood Ave', 'San Jose', 'Santa Clara', 'CA', '95131'),
      },
    ],
  },
  {
    name: 'Mesa Safety Equipment',
    number: '1259',
    sites: [
      {
        code: 'MESA TEMPE',
        email: 'sales@mesasafety.example.com',
        address: us('1600 W University Dr', 'Tempe', 'Maricopa', 'AZ', '85281'),
      },
    ],
  },
  {
    name: 'Lone Star Tools',
    number: '1260',
    sites: [
      {
        code: 'LONESTAR AUSTIN',
        email: 'po@lonestartools.example.com',
        address: us('9400 N Lamar Blvd', 'Austin', 'Travis', 'TX', '78753'),
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
