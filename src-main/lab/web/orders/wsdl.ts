/**
 * The SOAP endpoint's contract: a WSDL 1.1 document (W3C Note 2001) naming the five operations,
 * their messages and the two bindings (SOAP 1.1 and SOAP 1.2, document/literal) at
 * http://www.networkutopia.com/soap/orders. A client that reads it knows every operation
 * before it sends one — the "contract first" that Peterson & Davie contrast with REST.
 */
export const ORDERS_NS = 'http://www.networkutopia.com/orders';
export const SOAP_PATH = '/soap/orders';

export const OPERATIONS = ['ListOrders', 'GetOrder', 'CreateOrder', 'UpdateOrder', 'DeleteOrder'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** each operation's input elements, in order; `?` marks an optional one */
export const INPUTS: Record<Operation, string[]> = {
  ListOrders: ['status?'],
  GetOrder: ['id'],
  CreateOrder: ['item', 'quantity', 'customer'],
  UpdateOrder: ['id', 'version?', 'item?', 'quantity?', 'customer?', 'status?'],
  DeleteOrder: ['id', 'version?'],
};

const TYPES: Record<string, string> = { id: 'xs:int', version: 'xs:int', quantity: 'xs:int' };

function element(name: string, outputs: string): string {
  const fields = INPUTS[name as Operation]
    .map((f) => {
      const optional = f.endsWith('?');
      const n = f.replace('?', '');
      return `<xs:element name="${n}" type="${TYPES[n] ?? 'xs:string'}"${optional ? ' minOccurs="0"' : ''}/>`;
    })
    .join('');
  return `
      <xs:element name="${name}"><xs:complexType><xs:sequence>${fields}</xs:sequence></xs:complexType></xs:element>
      <xs:element name="${name}Response"><xs:complexType><xs:sequence>${outputs}</xs:sequence></xs:complexType></xs:element>`;
}

function binding(name: string, soapNs: 'soap' | 'soap12'): string {
  const ops = OPERATIONS.map(
    (op) => `
    <wsdl:operation name="${op}">
      <${soapNs}:operation soapAction="${ORDERS_NS}/${op}"/>
      <wsdl:input><${soapNs}:body use="literal"/></wsdl:input>
      <wsdl:output><${soapNs}:body use="literal"/></wsdl:output>
    </wsdl:operation>`,
  ).join('');
  return `
  <wsdl:binding name="${name}" type="tns:OrdersPortType">
    <${soapNs}:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>${ops}
  </wsdl:binding>`;
}

/** The WSDL, with the endpoint's address as the client reached it. */
export function wsdl(base: string): string {
  const order = '<xs:element name="order" type="tns:Order"/>';
  const types = [
    element('ListOrders', '<xs:element name="order" type="tns:Order" minOccurs="0" maxOccurs="unbounded"/>'),
    element('GetOrder', order),
    element('CreateOrder', order),
    element('UpdateOrder', order),
    element('DeleteOrder', '<xs:element name="deleted" type="xs:int"/>'),
  ].join('');
  const messages = OPERATIONS.map((op) => `
  <wsdl:message name="${op}Request"><wsdl:part name="parameters" element="tns:${op}"/></wsdl:message>
  <wsdl:message name="${op}Response"><wsdl:part name="parameters" element="tns:${op}Response"/></wsdl:message>`).join('');
  const portOps = OPERATIONS.map((op) => `
    <wsdl:operation name="${op}"><wsdl:input message="tns:${op}Request"/><wsdl:output message="tns:${op}Response"/></wsdl:operation>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<wsdl:definitions name="Orders" targetNamespace="${ORDERS_NS}"
    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"
    xmlns:soap12="http://schemas.xmlsoap.org/wsdl/soap12/" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tns="${ORDERS_NS}">
  <wsdl:documentation>The networkutopia.com order service (NetLab). The same orders are a REST resource API at /orders.</wsdl:documentation>
  <wsdl:types>
    <xs:schema targetNamespace="${ORDERS_NS}" elementFormDefault="qualified">
      <xs:complexType name="Order"><xs:sequence>
        <xs:element name="id" type="xs:int"/><xs:element name="item" type="xs:string"/>
        <xs:element name="quantity" type="xs:int"/><xs:element name="customer" type="xs:string"/>
        <xs:element name="status" type="xs:string"/><xs:element name="created" type="xs:dateTime"/>
        <xs:element name="updated" type="xs:dateTime"/><xs:element name="version" type="xs:int"/>
      </xs:sequence></xs:complexType>${types}
    </xs:schema>
  </wsdl:types>${messages}
  <wsdl:portType name="OrdersPortType">${portOps}
  </wsdl:portType>${binding('OrdersSoap11', 'soap')}${binding('OrdersSoap12', 'soap12')}
  <wsdl:service name="Orders">
    <wsdl:port name="OrdersSoap11" binding="tns:OrdersSoap11"><soap:address location="${base}${SOAP_PATH}"/></wsdl:port>
    <wsdl:port name="OrdersSoap12" binding="tns:OrdersSoap12"><soap12:address location="${base}${SOAP_PATH}"/></wsdl:port>
  </wsdl:service>
</wsdl:definitions>
`;
}
