/**
 * The demo directory for the reference deployment: a partnership of 8 Lancashire NHS organisations sharing one
 * network. Pure data — no framework imports — so the seeder, tests and fixtures can all read it.
 *
 * Site codes are stable identifiers that callers key on a phone keypad: never renumber or reuse one.
 * See README.md beside this file for the conventions (code ranges, phone ranges, assumed trusts).
 */

export type SiteClassCode = 'hospital' | 'community_health' | 'mental_health' | 'prison' | 'other';

export interface DemoTrust {
  code: string;
  name: string;
  kind: 'foundation_trust' | 'pct' | 'acute_trust';
  /** true when membership of the partnership is not public and the trust was chosen as a plausible stand-in. */
  assumed: boolean;
  /** Sender domains that identify the trust (lower case). Shared NHSmail (nhs.net) is deliberately not listed. */
  emailDomains: string[];
}

export interface DemoSite {
  code: string;
  name: string;
  class: SiteClassCode;
  trustCode: string;
  town: string;
  accessNotes: string | null;
}

export interface DemoService {
  code: string;
  name: string;
  description: string;
  defaultSupplierCode: string;
  phase: 1 | 2;
}

export interface DemoSupplier {
  code: string;
  name: string;
  email: string;
  role: string;
}

export interface DemoContact {
  name: string;
  email: string;
  phone: string;
  trustCode: string;
  siteCode: string;
}

export interface DemoSiteClass {
  code: SiteClassCode;
  name: string;
  calendarCode: '24x7' | 'gp_core' | 'office';
  accessNotes: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Site classes
// ---------------------------------------------------------------------------------------------------------------

export const DEMO_SITE_CLASSES: readonly DemoSiteClass[] = Object.freeze([
  { code: 'hospital', name: 'Hospital', calendarCode: '24x7', accessNotes: null },
  {
    code: 'community_health',
    name: 'Health centre, clinic or surgery',
    calendarCode: 'gp_core',
    accessNotes: null,
  },
  {
    code: 'mental_health',
    name: 'Mental health and social care',
    calendarCode: '24x7',
    accessNotes: 'Inpatient areas are locked: sign in at reception and wait to be escorted onto wards.',
  },
  {
    code: 'prison',
    name: 'Prison healthcare',
    calendarCode: '24x7',
    accessNotes:
      'Escorted engineer visits only; book 24 h ahead; photo ID required; no mobile phones past the gate.',
  },
  {
    code: 'other',
    name: 'Other (offices, stores, support services)',
    calendarCode: 'office',
    accessNotes: null,
  },
]);

// ---------------------------------------------------------------------------------------------------------------
// Trusts
// ---------------------------------------------------------------------------------------------------------------

export const DEMO_TRUSTS: readonly DemoTrust[] = Object.freeze([
  {
    code: 'LCFT',
    name: 'Lancashire Care NHS Foundation Trust',
    kind: 'foundation_trust',
    assumed: false,
    emailDomains: ['lancashirecare.nhs.uk'],
  },
  {
    code: 'BWD',
    name: 'NHS Blackburn with Darwen',
    kind: 'pct',
    assumed: false,
    emailDomains: ['bwdpct.nhs.uk'],
  },
  { code: 'BPL', name: 'NHS Blackpool', kind: 'pct', assumed: false, emailDomains: ['blackpoolpct.nhs.uk'] },
  {
    code: 'CLN',
    name: 'NHS Central Lancashire',
    kind: 'pct',
    assumed: false,
    emailDomains: ['centrallancashire.nhs.uk'],
  },
  {
    code: 'ELN',
    name: 'NHS East Lancashire',
    kind: 'pct',
    assumed: false,
    emailDomains: ['eastlancspct.nhs.uk'],
  },
  {
    code: 'NLN',
    name: 'NHS North Lancashire',
    kind: 'pct',
    assumed: false,
    emailDomains: ['northlancspct.nhs.uk'],
  },
  {
    code: 'LTHT',
    name: 'Lancashire Teaching Hospitals NHS Foundation Trust',
    kind: 'acute_trust',
    assumed: true,
    emailDomains: ['lancsteaching.nhs.uk'],
  },
  {
    code: 'ELHT',
    name: 'East Lancashire Hospitals NHS Trust',
    kind: 'acute_trust',
    assumed: true,
    emailDomains: ['eastlancshospitals.nhs.uk'],
  },
]);

export { DEMO_SITES } from './demo-sites';

// ---------------------------------------------------------------------------------------------------------------
// Suppliers and services
// ---------------------------------------------------------------------------------------------------------------

export const DEMO_SUPPLIERS: readonly DemoSupplier[] = Object.freeze([
  {
    code: 'vmb',
    name: 'Virgin Media Business',
    email: 'escalations@vmb.example',
    role: 'Network supplier: wireless, LAN, WAN, voice, remote access and mobile',
  },
  {
    code: 'imerja',
    name: 'Imerja',
    email: 'secondline@imerja.example',
    role: 'Service desk operator; second-line infrastructure and security',
  },
]);

export const DEMO_SERVICES: readonly DemoService[] = Object.freeze([
  {
    code: 'wireless',
    name: 'Wireless',
    description: 'Wi-Fi access points and wireless LAN coverage at a site.',
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'lan',
    name: 'LAN',
    description: 'Wired local network inside a site: switches, patching, network points.',
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'wan',
    name: 'WAN / connectivity',
    description: "The site's link to the shared network and the internet; a site down usually starts here.",
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'voice',
    name: 'Voice',
    description: 'Desk phones, telephony and call routing on the shared network.',
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'remote_access',
    name: 'Remote access',
    description: 'Secure remote connection to the network for staff working off site.',
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'mobile',
    name: 'Mobile',
    description: 'Mobile voice and data for staff devices.',
    defaultSupplierCode: 'vmb',
    phase: 1,
  },
  {
    code: 'videoconferencing',
    name: 'Videoconferencing',
    description: 'Video meeting rooms and endpoints between sites.',
    defaultSupplierCode: 'imerja',
    phase: 2,
  },
  {
    code: 'business_continuity',
    name: 'Business continuity',
    description: 'Resilience, backup connectivity and recovery of services after a failure.',
    defaultSupplierCode: 'imerja',
    phase: 2,
  },
]);

// ---------------------------------------------------------------------------------------------------------------
// Contacts: fictitious people; phones only from Ofcom's drama ranges (07700 900xxx, 01632 960xxx)
// ---------------------------------------------------------------------------------------------------------------

const contact = (
  name: string,
  email: string,
  phone: string,
  trustCode: string,
  siteCode: string,
): DemoContact => Object.freeze({ name, email, phone, trustCode, siteCode });

export const DEMO_CONTACTS: readonly DemoContact[] = Object.freeze([
  contact('Helen Ashworth', 'helen.ashworth@lancashirecare.nhs.uk', '+441632960101', 'LCFT', '3009'),
  contact('Imran Patel', 'imran.patel@bwdpct.nhs.uk', '+447700900102', 'BWD', '2001'),
  contact('Sarah Cartmell', 'sarah.cartmell@blackpoolpct.nhs.uk', '+441632960103', 'BPL', '2015'),
  contact('David Whittle', 'david.whittle@centrallancashire.nhs.uk', '+447700900104', 'CLN', '2035'),
  contact('Nasreen Hussain', 'nasreen.hussain@eastlancspct.nhs.uk', '+441632960105', 'ELN', '2049'),
  contact('Gareth Lonsdale', 'gareth.lonsdale@northlancspct.nhs.uk', '+447700900106', 'NLN', '2071'),
  contact('Joanne Bamber', 'joanne.bamber@lancsteaching.nhs.uk', '+441632960107', 'LTHT', '1001'),
  contact('Peter Holden', 'peter.holden@eastlancshospitals.nhs.uk', '+447700900108', 'ELHT', '1003'),
]);
