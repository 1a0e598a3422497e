/**
 * The demo directory's 169 sites, by class. Pure data, read through DEMO_SITES (re-exported by demo-directory.ts).
 * Site codes are stable identifiers that callers key on a phone keypad: never renumber or reuse one.
 */
import type { DemoSite, SiteClassCode } from './demo-directory';

// ---------------------------------------------------------------------------------------------------------------
// Sites: 11 hospital (1xxx), 85 community health (2xxx), 33 mental health (3xxx), 3 prison (4xxx), 37 other (5xxx)
// ---------------------------------------------------------------------------------------------------------------

const site = (
  code: string,
  name: string,
  cls: SiteClassCode,
  trustCode: string,
  town: string,
  accessNotes: string | null = null,
): DemoSite => Object.freeze({ code, name, class: cls, trustCode, town, accessNotes });

const H = 'hospital' as const;
const C = 'community_health' as const;
const M = 'mental_health' as const;
const P = 'prison' as const;
const O = 'other' as const;

const HOSPITALS: DemoSite[] = [
  site('1001', 'Royal Preston Hospital', H, 'LTHT', 'Preston'),
  site('1002', 'Chorley and South Ribble Hospital', H, 'LTHT', 'Chorley'),
  site('1003', 'Royal Blackburn Hospital', H, 'ELHT', 'Blackburn'),
  site('1004', 'Burnley General Hospital', H, 'ELHT', 'Burnley'),
  site('1005', 'Accrington Victoria Community Hospital', H, 'ELHT', 'Accrington'),
  site('1006', 'Rossendale Community Hospital', H, 'ELN', 'Rawtenstall'),
  site('1007', 'Pendle Community Hospital', H, 'ELN', 'Nelson'),
  site('1008', 'Clitheroe Community Hospital', H, 'ELN', 'Clitheroe'),
  site('1009', 'Fleetwood Community Hospital', H, 'NLN', 'Fleetwood'),
  site('1010', 'Clifton Hospital', H, 'NLN', 'Lytham St Annes'),
  site('1011', 'Longridge Community Hospital', H, 'CLN', 'Longridge'),
];

const COMMUNITY_HEALTH: DemoSite[] = [
  // NHS Blackburn with Darwen
  site('2001', 'Barbara Castle Way Health Centre', C, 'BWD', 'Blackburn'),
  site('2002', 'Darwen Health Centre', C, 'BWD', 'Darwen'),
  site('2003', 'Shadsworth Surgery', C, 'BWD', 'Blackburn'),
  site('2004', 'Roe Lee Surgery', C, 'BWD', 'Blackburn'),
  site('2005', 'Little Harwood Health Centre', C, 'BWD', 'Blackburn'),
  site('2006', 'Mill Hill Clinic', C, 'BWD', 'Blackburn'),
  site('2007', 'Livesey Medical Centre', C, 'BWD', 'Blackburn'),
  site('2008', 'Audley Clinic', C, 'BWD', 'Blackburn'),
  site('2009', 'Witton Medical Centre', C, 'BWD', 'Blackburn'),
  site('2010', 'Darwen Circus Medical Centre', C, 'BWD', 'Darwen'),
  site('2011', 'Lower Darwen Clinic', C, 'BWD', 'Darwen'),
  site('2012', 'Ewood Surgery', C, 'BWD', 'Blackburn'),
  site('2013', 'Wensley Fold Clinic', C, 'BWD', 'Blackburn'),
  site('2014', 'Hoddlesden Surgery', C, 'BWD', 'Darwen'),
  // NHS Blackpool
  site('2015', 'Whitegate Health Centre', C, 'BPL', 'Blackpool'),
  site('2016', 'South Shore Primary Care Centre', C, 'BPL', 'Blackpool'),
  site('2017', 'Moor Park Health Centre', C, 'BPL', 'Blackpool'),
  site('2018', 'Layton Medical Centre', C, 'BPL', 'Blackpool'),
  site('2019', 'Bispham Surgery', C, 'BPL', 'Blackpool'),
  site('2020', 'Talbot Road Surgery', C, 'BPL', 'Blackpool'),
  site('2021', 'Grange Park Health Centre', C, 'BPL', 'Blackpool'),
  site('2022', 'Mereside Clinic', C, 'BPL', 'Blackpool'),
  site('2023', 'Waterloo Road Surgery', C, 'BPL', 'Blackpool'),
  site('2024', 'Marton Medical Centre', C, 'BPL', 'Blackpool'),
  site('2025', 'Highfield Road Clinic', C, 'BPL', 'Blackpool'),
  site('2026', 'Newton Drive Health Centre', C, 'BPL', 'Blackpool'),
  site('2027', 'Cherry Tree Surgery', C, 'BPL', 'Blackpool'),
  site('2028', 'Anchorsholme Surgery', C, 'BPL', 'Blackpool'),
  // NHS Central Lancashire
  site('2029', 'Ashton Health Centre', C, 'CLN', 'Preston'),
  site('2030', 'Fulwood Clinic', C, 'CLN', 'Preston'),
  site('2031', 'Ribbleton Surgery', C, 'CLN', 'Preston'),
  site('2032', 'Deepdale Surgery', C, 'CLN', 'Preston'),
  site('2033', 'Ingol Health Centre', C, 'CLN', 'Preston'),
  site('2034', 'Avenham Clinic', C, 'CLN', 'Preston'),
  site('2035', 'Chorley Health Centre', C, 'CLN', 'Chorley'),
  site('2036', 'Euxton Surgery', C, 'CLN', 'Chorley'),
  site('2037', 'Coppull Clinic', C, 'CLN', 'Chorley'),
  site('2038', 'Leyland Health Centre', C, 'CLN', 'Leyland'),
  site('2039', 'Lostock Hall Medical Centre', C, 'CLN', 'Leyland'),
  site('2040', 'Bamber Bridge Clinic', C, 'CLN', 'Bamber Bridge'),
  site('2041', 'Penwortham Health Centre', C, 'CLN', 'Penwortham'),
  site('2042', 'Ormskirk Health Centre', C, 'CLN', 'Ormskirk'),
  site('2043', 'Aughton Surgery', C, 'CLN', 'Ormskirk'),
  site('2044', 'Skelmersdale Health Centre', C, 'CLN', 'Skelmersdale'),
  site('2045', 'Digmoor Clinic', C, 'CLN', 'Skelmersdale'),
  site('2046', 'Burscough Health Centre', C, 'CLN', 'Burscough'),
  site('2047', 'Longridge Surgery', C, 'CLN', 'Longridge'),
  site('2048', 'Tarleton Clinic', C, 'CLN', 'Tarleton'),
  // NHS East Lancashire
  site('2049', "St Peter's Health Centre", C, 'ELN', 'Burnley'),
  site('2050', 'Briercliffe Surgery', C, 'ELN', 'Burnley'),
  site('2051', 'Padiham Health Centre', C, 'ELN', 'Padiham'),
  site('2052', 'Oak Street Health Centre', C, 'ELN', 'Accrington'),
  site('2053', 'Oswaldtwistle Clinic', C, 'ELN', 'Oswaldtwistle'),
  site('2054', 'Great Harwood Health Centre', C, 'ELN', 'Great Harwood'),
  site('2055', 'Nelson Health Centre', C, 'ELN', 'Nelson'),
  site('2056', 'Brierfield Surgery', C, 'ELN', 'Brierfield'),
  site('2057', 'Colne Health Centre', C, 'ELN', 'Colne'),
  site('2058', 'Barnoldswick Clinic', C, 'ELN', 'Barnoldswick'),
  site('2059', 'Earby Surgery', C, 'ELN', 'Earby'),
  site('2060', 'Clitheroe Health Centre', C, 'ELN', 'Clitheroe'),
  site('2061', 'Whalley Surgery', C, 'ELN', 'Whalley'),
  site('2062', 'Rawtenstall Health Centre', C, 'ELN', 'Rawtenstall'),
  site('2063', 'Bacup Health Centre', C, 'ELN', 'Bacup'),
  site('2064', 'Haslingden Health Centre', C, 'ELN', 'Haslingden'),
  site('2065', 'Whitworth Clinic', C, 'ELN', 'Whitworth'),
  site('2066', 'Trawden Surgery', C, 'ELN', 'Colne'),
  site('2067', 'Rosegrove Clinic', C, 'ELN', 'Burnley'),
  // NHS North Lancashire
  site('2068', 'Dalton Square Health Centre', C, 'NLN', 'Lancaster'),
  site('2069', 'Ryelands Clinic', C, 'NLN', 'Lancaster'),
  site('2070', 'Bowerham Surgery', C, 'NLN', 'Lancaster'),
  site('2071', 'Morecambe Health Centre', C, 'NLN', 'Morecambe'),
  site('2072', 'Heysham Clinic', C, 'NLN', 'Heysham'),
  site('2073', 'Carnforth Health Centre', C, 'NLN', 'Carnforth'),
  site('2074', 'Garstang Health Centre', C, 'NLN', 'Garstang'),
  site('2075', 'Fleetwood Health Centre', C, 'NLN', 'Fleetwood'),
  site('2076', 'Thornton Clinic', C, 'NLN', 'Thornton-Cleveleys'),
  site('2077', 'Cleveleys Surgery', C, 'NLN', 'Thornton-Cleveleys'),
  site('2078', 'Poulton Health Centre', C, 'NLN', 'Poulton-le-Fylde'),
  site('2079', 'Kirkham Health Centre', C, 'NLN', 'Kirkham'),
  site('2080', 'Lytham Primary Care Centre', C, 'NLN', 'Lytham St Annes'),
  site('2081', 'St Annes Clinic', C, 'NLN', 'Lytham St Annes'),
  site('2082', 'Freckleton Surgery', C, 'NLN', 'Freckleton'),
  site('2083', 'Preesall Clinic', C, 'NLN', 'Preesall'),
  site('2084', 'Silverdale Surgery', C, 'NLN', 'Silverdale'),
  site('2085', 'Galgate Surgery', C, 'NLN', 'Galgate'),
];

const SECURE_UNIT_NOTES =
  'Secure unit: sign in at the security lodge, hand in mobile phones and tools lists; engineers are escorted.';

const MENTAL_HEALTH: DemoSite[] = [
  // Lancashire Care NHS Foundation Trust
  site('3001', 'Guild Lodge Secure Services', M, 'LCFT', 'Preston', SECURE_UNIT_NOTES),
  site('3002', 'Avondale Unit', M, 'LCFT', 'Preston'),
  site('3003', 'Scarisbrick Unit', M, 'LCFT', 'Ormskirk'),
  site('3004', 'Burnley Mental Health Inpatient Unit', M, 'LCFT', 'Burnley'),
  site('3005', 'Blackburn Mental Health Inpatient Unit', M, 'LCFT', 'Blackburn'),
  site('3006', 'Parkwood Mental Health Unit', M, 'LCFT', 'Blackpool'),
  site('3007', 'Ridge Lea Hospital', M, 'LCFT', 'Lancaster'),
  site('3008', 'Chorley Community Mental Health Team', M, 'LCFT', 'Chorley'),
  site('3009', 'Preston Community Mental Health Team', M, 'LCFT', 'Preston'),
  site('3010', 'Leyland Community Mental Health Team', M, 'LCFT', 'Leyland'),
  site('3011', 'Skelmersdale Community Mental Health Team', M, 'LCFT', 'Skelmersdale'),
  site('3012', 'Burnley Community Mental Health Team', M, 'LCFT', 'Burnley'),
  site('3013', 'Accrington Community Mental Health Team', M, 'LCFT', 'Accrington'),
  site('3014', 'Nelson Community Mental Health Team', M, 'LCFT', 'Nelson'),
  site('3015', 'Rossendale Community Mental Health Team', M, 'LCFT', 'Rawtenstall'),
  site('3016', 'Blackburn Community Mental Health Team', M, 'LCFT', 'Blackburn'),
  site('3017', 'Blackpool Community Mental Health Team', M, 'LCFT', 'Blackpool'),
  site('3018', 'Lancaster Community Mental Health Team', M, 'LCFT', 'Lancaster'),
  site('3019', 'Morecambe Community Mental Health Team', M, 'LCFT', 'Morecambe'),
  site('3020', 'Fleetwood Community Mental Health Team', M, 'LCFT', 'Fleetwood'),
  site('3021', 'Preston Child and Adolescent Mental Health Service', M, 'LCFT', 'Preston'),
  site('3022', 'Burnley Child and Adolescent Mental Health Service', M, 'LCFT', 'Burnley'),
  site('3023', 'Lancaster Child and Adolescent Mental Health Service', M, 'LCFT', 'Lancaster'),
  site('3024', 'Chorley Older Adults Mental Health Team', M, 'LCFT', 'Chorley'),
  site('3025', 'Blackpool Older Adults Mental Health Team', M, 'LCFT', 'Blackpool'),
  site('3026', 'Preston Drug and Alcohol Service', M, 'LCFT', 'Preston'),
  site('3027', 'Burnley Drug and Alcohol Service', M, 'LCFT', 'Burnley'),
  site('3028', 'Clitheroe Learning Disability Team', M, 'LCFT', 'Clitheroe'),
  site('3029', 'Fylde Crisis Resolution and Home Treatment Team', M, 'LCFT', 'Kirkham'),
  // Social care departments hosted with the unitary-authority PCTs
  site('3030', 'Blackburn with Darwen Adult Social Care Department', M, 'BWD', 'Blackburn'),
  site('3031', 'Darwen Integrated Mental Health and Social Care Team', M, 'BWD', 'Darwen'),
  site('3032', 'Blackpool Adult Social Care Department', M, 'BPL', 'Blackpool'),
  site('3033', "Blackpool Children's Social Care Department", M, 'BPL', 'Blackpool'),
];

const PRISONS: DemoSite[] = [
  site(
    '4001',
    'HMP Preston Healthcare Centre',
    P,
    'CLN',
    'Preston',
    'Escorted engineer visits only; book 24 h ahead with the healthcare manager; photo ID; no mobile phones past the gate.',
  ),
  site(
    '4002',
    'HMP Wymott Healthcare Centre',
    P,
    'CLN',
    'Leyland',
    'Escorted engineer visits only; book 24 h ahead; vehicle search at the gate; no mobile phones past the gate.',
  ),
  site(
    '4003',
    'HMP Lancaster Farms Healthcare Centre',
    P,
    'NLN',
    'Lancaster',
    'Escorted engineer visits only; book 24 h ahead; tools listed in advance; no mobile phones past the gate.',
  ),
];

const OTHER: DemoSite[] = [
  // Lancashire Care NHS Foundation Trust
  site('5001', 'Lancashire Care Headquarters, Sceptre Point', O, 'LCFT', 'Preston'),
  site(
    '5002',
    'Lancashire Care Data Centre',
    O,
    'LCFT',
    'Preston',
    'Card access only: book through the desk one working day ahead; escorted by trust IT.',
  ),
  site('5003', 'Lancashire Care Training and Education Centre', O, 'LCFT', 'Preston'),
  site('5004', 'Lancashire Care Estates Depot', O, 'LCFT', 'Chorley'),
  site('5005', 'Lancashire Care Health Records Store', O, 'LCFT', 'Leyland'),
  site('5006', 'Lancashire Care Occupational Health Service', O, 'LCFT', 'Preston'),
  // NHS Blackburn with Darwen
  site('5007', 'NHS Blackburn with Darwen Headquarters', O, 'BWD', 'Blackburn'),
  site('5008', 'Blackburn with Darwen Medicines Management Office', O, 'BWD', 'Blackburn'),
  site('5009', 'Darwen Dental Access Centre', O, 'BWD', 'Darwen'),
  site('5010', 'Blackburn Health Improvement Hub', O, 'BWD', 'Blackburn'),
  // NHS Blackpool
  site('5011', 'NHS Blackpool Headquarters', O, 'BPL', 'Blackpool'),
  site('5012', 'Blackpool Patient Advice and Liaison Office', O, 'BPL', 'Blackpool'),
  site('5013', 'Blackpool Dental Access Centre', O, 'BPL', 'Blackpool'),
  site('5014', 'Blackpool Stop Smoking Service', O, 'BPL', 'Blackpool'),
  // NHS Central Lancashire
  site('5015', 'NHS Central Lancashire Headquarters, Jubilee House', O, 'CLN', 'Leyland'),
  site('5016', 'Preston Dental Access Centre', O, 'CLN', 'Preston'),
  site('5017', 'Chorley Commissioning Office', O, 'CLN', 'Chorley'),
  site('5018', 'Ormskirk Health Improvement Office', O, 'CLN', 'Ormskirk'),
  site('5019', 'Skelmersdale Stop Smoking Service', O, 'CLN', 'Skelmersdale'),
  // NHS East Lancashire
  site('5020', 'NHS East Lancashire Headquarters, Walker Park', O, 'ELN', 'Blackburn'),
  site('5021', 'Burnley Dental Access Centre', O, 'ELN', 'Burnley'),
  site('5022', 'Accrington Commissioning Office', O, 'ELN', 'Accrington'),
  site('5023', 'Nelson Health Improvement Office', O, 'ELN', 'Nelson'),
  site('5024', 'Rawtenstall Community Equipment Store', O, 'ELN', 'Rawtenstall'),
  // NHS North Lancashire
  site('5025', 'NHS North Lancashire Headquarters, Moor Lane Mills', O, 'NLN', 'Lancaster'),
  site('5026', 'Lancaster Dental Access Centre', O, 'NLN', 'Lancaster'),
  site('5027', 'Morecambe Health Improvement Office', O, 'NLN', 'Morecambe'),
  site('5028', 'Poulton Commissioning Office', O, 'NLN', 'Poulton-le-Fylde'),
  site('5029', 'Fleetwood Community Equipment Store', O, 'NLN', 'Fleetwood'),
  // Lancashire Teaching Hospitals (assumed member)
  site('5030', 'Lancashire Teaching Hospitals Education Centre', O, 'LTHT', 'Preston'),
  site('5031', 'Lancashire Teaching Hospitals Pathology Laboratory', O, 'LTHT', 'Preston'),
  site('5032', 'Chorley Hospital Sterile Services Unit', O, 'LTHT', 'Chorley'),
  // East Lancashire Hospitals (assumed member)
  site('5033', 'East Lancashire Hospitals Learning Centre', O, 'ELHT', 'Blackburn'),
  site('5034', 'East Lancashire Hospitals Pathology Laboratory', O, 'ELHT', 'Burnley'),
  site('5035', 'East Lancashire Hospitals Supplies Warehouse', O, 'ELHT', 'Accrington'),
  // Lancashire Care NHS Foundation Trust (continued)
  site('5036', 'Lancashire Care Finance and Payroll Office', O, 'LCFT', 'Preston'),
  site('5037', 'Lancashire Care Informatics Office', O, 'LCFT', 'Preston'),
];

export const DEMO_SITES: readonly DemoSite[] = Object.freeze([
  ...HOSPITALS,
  ...COMMUNITY_HEALTH,
  ...MENTAL_HEALTH,
  ...PRISONS,
  ...OTHER,
]);
